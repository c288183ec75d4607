import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { migrate } from '../src/db/createDb.js';
import { createDeps, type Deps } from '../src/deps.js';
import type { BenchRow } from './benchRow.js';

/** A bare Fastify handler: the in-run baseline every figure is divided by. */
export async function startBareServer(): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ data: { hello: 'world' } }));
  app.post('/bare', async () => ({ data: { ok: true } }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

export interface Throughput {
  rps: number;
  p50: number;
  p99: number;
}

/** Requests per second with autocannon (5 s, 20 connections unless told). */
export async function throughput(opts: autocannon.Options): Promise<Throughput> {
  const r = await autocannon({ duration: 5, connections: 20, ...opts });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`bench target answered ${r.non2xx} non-2xx and ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

/** Median wall time in ms of `runs` sequential calls of fn. */
export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh application database of the given kind; drop() removes it (PostgreSQL) or nothing (SQLite file in dataDir). */
export async function benchDatabase(kind: 'sqlite' | 'postgres', dataDir: string): Promise<{ database: Config['database']; drop: () => Promise<void> }> {
  if (kind === 'sqlite') return { database: { kind: 'sqlite', file: path.join(dataDir, 'shulan.sqlite') }, drop: async () => {} };
  const name = `shulan_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface BenchApp {
  deps: Deps;
  app: FastifyInstance;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

/** The real Shulan app on a fresh SQLite file or PostgreSQL database, listening on loopback. */
export async function startBenchApp(o: { db: 'sqlite' | 'postgres'; webDist?: string | null; env?: Record<string, string> }): Promise<BenchApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-bench-'));
  const { database, drop } = await benchDatabase(o.db, dataDir);
  const config = { ...loadConfig({ SHULAN_DATA_DIR: dataDir, SHULAN_LOG_LEVEL: 'silent', SHULAN_SAMPLE_CONTENT: '0', ...o.env }), database };
  const deps = createDeps(config);
  await migrate(deps.db);
  const app = await buildApp(deps, { logger: false, webDist: o.webDist ?? null });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    deps,
    app,
    url,
    dataDir,
    async close() {
      await app.close();
      await deps.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** "1.5 ms" / "0.03×": the first number of a string followed by `unit`, optionally after a label ("p99 12 ms"). */
function findNumber(text: string, unit: string, label?: string): number | undefined {
  const u = unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${label ? `${label}\\s*` : ''}([\\d.,]+)\\s*${u}`, 'i');
  const m = re.exec(text);
  return m ? Number(m[1]!.replace(/,/g, '')) : undefined;
}

/**
 * Whether a row meets its goal, read from the goal text: each clause ("< 100 ms", "≥ 0.25×",
 * "p99 < 20 ms") is checked against the number with the same unit (and label) in value or ratio.
 * "?" when a clause names something the row does not show.
 */
export function met(row: BenchRow): 'yes' | 'no' | '?' | '—' {
  if (row.goal === '—' || row.goal === '') return '—';
  const clauses = row.goal.split(/[;,]/).map((c) => c.trim()).filter(Boolean);
  if (clauses.length === 0) return '?';
  let all = true;
  for (const clause of clauses) {
    const m = /^(?:(\S+)\s+)?(<|≤|<=|>|≥|>=)\s*([\d.,]+)\s*(\S*)/.exec(clause);
    if (!m) return '?';
    const [, label, op, num, unit] = m;
    const goal = Number(num!.replace(/,/g, ''));
    const seen = findNumber(`${row.value} ${row.ratio}`, unit ?? '', label);
    if (seen === undefined) return '?';
    const ok = op === '<' ? seen < goal : op === '≤' || op === '<=' ? seen <= goal : op === '>' ? seen > goal : seen >= goal;
    all &&= ok;
  }
  return all ? 'yes' : 'no';
}

/** The one table: markdown, so the same text prints and goes into bench/results.md. */
export function formatTable(rows: BenchRow[]): string {
  const head = ['figure', 'db', 'value', 'baseline (same run)', 'ratio', 'goal', 'met?'];
  const body = rows.map((r) => [r.figure, r.db ?? '—', r.value, r.baseline, r.ratio, r.goal, met(r)]);
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((c) => `| ${c.map(esc).join(' | ')} |`)].join('\n');
}

export function machine(): string {
  const cpu = os.cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const fmt = {
  ms: (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`,
  mb: (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`,
  kb: (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`,
  ratio: (x: number) => `${x < 0.1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(0)}×`,
};
