import { exactJson, maskValue, type Filter, type QueryResult, type QuerySpec } from '@shulan/shared';
import type { QueryableDataset } from '../datasources/types.js';
import { queryFailed } from '../datasources/connectionErrors.js';
import { AppError } from '../errors.js';
import { compileQuery, type CompiledQuery, type OutputColumn } from './compileQuery.js';
import { EXTERNAL_TTL_MS, QueryCache } from './QueryCache.js';
import { LRUCache } from 'lru-cache';

type Cell = string | number | boolean | null;

export interface RunQueryOptions {
  /** Run the count query when the page is full or not the first (paged tables). */
  withTotal?: boolean;
  /** Skip the cache (large exports). */
  noCache?: boolean;
}

/** Compiles, runs (or reads from the cache) and normalises one query. Throws ValidationError / UpstreamError. */
export async function runQuery(
  cache: QueryCache,
  dataset: QueryableDataset,
  spec: QuerySpec,
  extraFilters: Filter[] = [],
  opts: RunQueryOptions = {},
): Promise<QueryResult> {
  const compiled = compileCached(dataset, spec, extraFilters);
  const key = QueryCache.key(dataset.id, dataset.dataVersion, {
    sql: compiled.sql,
    params: compiled.params,
    countSql: opts.withTotal ? compiled.countSql : undefined,
  });
  if (!opts.noCache) {
    const hit = cache.get(key);
    if (hit) return masked(dataset, compiled.columns, { ...hit, cached: true });
  }

  const load = async () => {
    const raw = await execute(dataset, compiled.sql, compiled.params);
    const rows = raw.map((r) => toOutputRow(r, compiled.columns));
    const total = await totalOf(dataset, compiled, rows.length, opts.withTotal === true);
    const result = {
      columns: compiled.columns.map(({ key: k, label, type, scale }) => ({ key: k, label, type, ...(scale === undefined ? {} : { scale }) })),
      rows,
      total,
    };
    if (!opts.noCache) cache.set(key, result, dataset.external ? EXTERNAL_TTL_MS : null);
    return result;
  };
  const result = opts.noCache ? await load() : await cache.shared(key, load);
  return masked(dataset, compiled.columns, { ...result, cached: false });
}

/**
 * Masks the columns showing a field masked for the viewer. After the cache: the cache holds what
 * the SQL returned (the row filter is part of its key), each viewer gets its own masking.
 */
function masked(dataset: QueryableDataset, columns: OutputColumn[], result: QueryResult): QueryResult {
  const rules = dataset.policy?.masked;
  if (!rules?.size) return result;
  const targets = columns.filter((c) => c.role !== 'measure' && rules.has(c.key)).map((c) => [c.key, rules.get(c.key)!] as const);
  // Dimensions keyed with a grain (`日期__month`) show the field too.
  for (const c of columns) {
    const base = c.key.split('__')[0]!;
    if (c.role === 'dimension' && c.key !== base && rules.has(base)) targets.push([c.key, rules.get(base)!]);
  }
  if (!targets.length) return result;
  return {
    ...result,
    columns: result.columns.map((c) => (targets.some(([k]) => k === c.key) ? { ...c, type: 'string' as const } : c)),
    rows: result.rows.map((r) => {
      const out = { ...r };
      for (const [k, kind] of targets) out[k] = maskValue(r[k] ?? null, kind);
      return out;
    }),
  };
}

/**
 * Compiled queries by everything that decides their SQL (dataset source, fields and calculated
 * fields, dialect, the viewer's permissions, spec, filters): every widget of a dashboard compiles again on every open, which cost more than a
 * cached answer (bench). Shared objects: callers read them only. Failures are not kept.
 */
const compiledQueries = new LRUCache<string, CompiledQuery>({ max: 2000 });

function compileCached(dataset: QueryableDataset, spec: QuerySpec, extraFilters: Filter[]): CompiledQuery {
  // The viewer's row and column permissions and the calculated fields change the SQL too: one
  // viewer's compiled query must never serve another (permissions.test.ts).
  const p = dataset.policy;
  const policy = p ? [p.rows, [...p.hidden], [...p.masked]] : null;
  const key = JSON.stringify([dataset.id, dataset.connector.dialect, dataset.source, dataset.fields, dataset.calculated ?? [], policy, spec, extraFilters]);
  let compiled = compiledQueries.get(key);
  if (!compiled) {
    compiled = compileQuery(dataset, spec, extraFilters);
    compiledQueries.set(key, compiled);
  }
  return compiled;
}

async function totalOf(dataset: QueryableDataset, compiled: CompiledQuery, got: number, withTotal: boolean): Promise<number> {
  // A short first page already tells the total; only a full page or a later page needs counting.
  if (!withTotal || (compiled.offset === 0 && got < compiled.limit)) return compiled.offset + got;
  const [row] = await execute(dataset, compiled.countSql, compiled.countParams);
  return toNumber(row ? Object.values(row)[0] : 0) ?? 0;
}

async function execute(dataset: QueryableDataset, sqlText: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  try {
    return await dataset.connector.query(sqlText, params);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw queryFailed(502, err);
  }
}

function toOutputRow(raw: Record<string, unknown>, columns: OutputColumn[]): Record<string, Cell> {
  const row: Record<string, Cell> = {};
  for (const c of columns) row[c.key] = normalise(raw[c.alias], c);
  return row;
}

/** Engines disagree on types (pg numerics and bigints as strings, DuckDB bigint, Date objects); make them JSON-plain. */
function normalise(v: unknown, col: OutputColumn): Cell {
  if (v === null || v === undefined) return null;
  if (col.type === 'integer' || col.type === 'number') {
    // Exact digits the connector kept as text (beyond what a double holds) stay text.
    if (typeof v === 'string' || typeof v === 'bigint') return exactJson(String(v));
    const n = toNumber(v);
    if (n !== null) return n;
  }
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    return col.type === 'date' ? v.toISOString().slice(0, 10) : v.toISOString();
  }
  if (typeof v === 'bigint') return exactJson(String(v));
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') {
    if (col.type === 'boolean' && typeof v === 'number') return v !== 0;
    return v;
  }
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
