import { dimensionKey, measureKey, type Aggregate, type Field, type FieldType, type Filter, type QuerySpec } from '@shulan/shared';
import { sql, type RawBuilder } from 'kysely';
import { splitTableName } from '../datasources/sqlNames.js';
import type { QueryableDataset, SqlDialect } from '../datasources/types.js';
import { ForbiddenError, ValidationError, msg } from '../errors.js';
import { CalcScope } from '../calc/calcScope.js';
import { FormulaError } from '../calc/formulaError.js';
import { containsPattern, isDateType, isNumericType, paramFor } from './queryValues.js';
import { sqlBuilderFor } from './sqlBuilders.js';

/**
 * One output column. Keys are the stable names from `dimensionKey`/`measureKey` in
 * @shulan/shared (field name, `日期__month`, `sum__销售额`, `count`).
 * In SQL every column gets a positional alias (`__c0`…) instead, because field names can be
 * long Chinese text that PostgreSQL would truncate at 63 bytes.
 */
export interface OutputColumn {
  key: string;
  label: string;
  type: FieldType;
  role: 'dimension' | 'measure' | 'column';
  /** Decimals to show for an exact decimal column (its field's scale). */
  scale?: number;
  /** Alias in the compiled SQL. */
  alias: string;
}

export interface CompiledQuery {
  sql: string;
  params: unknown[];
  columns: OutputColumn[];
  /** Counts the rows the query returns without limit/offset (for paged tables). */
  countSql: string;
  countParams: unknown[];
  limit: number;
  offset: number;
}

type Expr = RawBuilder<unknown>;

const GRAIN_LABELS = { day: '日', week: '周', month: '月', quarter: '季度', year: '年' } as const;
type Grain = keyof typeof GRAIN_LABELS;
const AGG_LABELS: Record<Aggregate, string> = {
  sum: '合计',
  avg: '平均',
  count: '计数',
  count_distinct: '去重计数',
  min: '最小',
  max: '最大',
  calc: '计算',
};
const COMPARISONS = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * Compiles a widget query against a dataset into SQL for the dataset's engine.
 * Every field is checked against `dataset.fields`; throws ValidationError naming the field.
 */
export function compileQuery(dataset: QueryableDataset, spec: QuerySpec, extraFilters: Filter[] = []): CompiledQuery {
  const dialect = dataset.connector.dialect;
  const fieldOf = fieldLookup(dataset, dialect);
  const columns: OutputColumn[] = [];
  const selections: { expr: Expr; alias: string }[] = [];
  const groupBy: Expr[] = [];
  const add = (col: Omit<OutputColumn, 'alias'>, expr: Expr) => {
    if (columns.some((c) => c.key === col.key)) {
      throw new ValidationError(msg(`查询中重复的列「${col.key}」`, `Column "${col.key}" appears twice in the query`), { field: col.key });
    }
    const alias = `__c${columns.length}`;
    columns.push({ ...col, alias });
    selections.push({ expr, alias });
  };

  const aggregated = spec.dimensions.length > 0 || spec.measures.length > 0;
  if (aggregated && spec.columns && spec.columns.length > 0) {
    throw new ValidationError(
      msg('明细列不能与维度或指标同时使用', 'Detail columns cannot be combined with dimensions or measures'),
    );
  }

  if (!aggregated) {
    // "All columns" means all the viewer may see; naming a hidden one is refused by fieldOf.
    const names = spec.columns && spec.columns.length > 0 ? spec.columns : visibleFields(dataset).map((f) => f.name);
    for (const name of names) {
      const { field, expr } = rowLevel(fieldOf(name));
      add({ key: field.name, label: field.name, type: field.type, role: 'column', ...scaleOf(field) }, expr);
    }
  }

  for (const dim of spec.dimensions) {
    const { field, expr: value } = rowLevel(fieldOf(dim.field));
    if (dim.grain && !isDateType(field.type)) {
      throw new ValidationError(
        msg(`字段「${field.name}」不是日期类型，不能按${GRAIN_LABELS[dim.grain]}汇总`, `Field "${field.name}" is not a date, so it has no ${dim.grain} grain`),
        { field: field.name },
      );
    }
    // A plain date is shown as 'YYYY-MM-DD' on every engine, same as grain 'day'.
    const grain: Grain | undefined = dim.grain ?? (field.type === 'date' ? 'day' : undefined);
    // Grouped by a cheap key of the period; the text is made once per group, not once per row.
    const period = grain ? datePeriod(dialect, value, grain, field.type) : null;
    const expr = period ? period.shown : value;
    add(
      {
        key: dimensionKey({ field: field.name, grain: dim.grain }),
        label: dim.grain ? `${field.name}（${GRAIN_LABELS[dim.grain]}）` : field.name,
        type: grain ? 'date' : field.type,
        role: 'dimension',
        ...(grain ? {} : scaleOf(field)),
      },
      expr,
    );
    // A calculated dimension is grouped by its output name: its literals are parameters, and
    // PostgreSQL does not see `case when x >= $1 …` and `case when x >= $4 …` as one expression.
    groupBy.push(field.calculated ? sql.id(columns[columns.length - 1]!.alias) : period ? period.key : expr);
  }

  for (const m of spec.measures) {
    const r = m.field === undefined ? null : fieldOf(m.field);
    if (r && dataset.policy?.masked.has(r.field.name) && m.agg !== 'count' && m.agg !== 'count_distinct') throw maskedOnly(r.field.name);
    if (r?.aggregate || m.agg === 'calc') {
      add(calcMeasureColumn(m.agg, r, m.label), r!.expr);
      continue;
    }
    add(measureColumn(m.agg, r?.field ?? null, m.label), measureExpr(m.agg, r?.field ?? null, r?.expr ?? null, dialect));
  }

  const where = [...spec.filters, ...extraFilters].map((f) => {
    const r = rowLevel(fieldOf(f.field));
    // Comparing a masked field with chosen values would reveal it one guess at a time.
    if (dataset.policy?.masked.has(r.field.name) && f.op !== 'is_null' && f.op !== 'not_null') throw maskedOnly(r.field.name);
    return filterExpr(f, r, dialect);
  });
  const rowFilter = rowFilterExpr(dataset, dialect);
  if (rowFilter) where.push(rowFilter);

  const db = sqlBuilderFor(dialect);
  const source =
    dataset.source.kind === 'table'
      ? // `schema.table`, or a quoted part holding a dot (`"sales.2024"`): see splitTableName.
        sql.id(...splitTableName(dataset.source.table)).as('src')
      : // The dataset's own SQL: written by an editor and validated when the dataset was saved.
        // On lines of its own, so a trailing "-- comment" cannot swallow the rest of the query.
        sql`(\n${sql.raw(dataset.source.sql.trim().replace(/;+$/, ''))}\n)`.as('src');

  let base = db.selectFrom(source).select(selections.map((s) => s.expr.as(s.alias)));
  if (where.length > 0) base = base.where(sql<boolean>`${sql.join(where, sql` and `)}`);
  if (groupBy.length > 0) base = base.groupBy(groupBy);

  let paged = base;
  const sorts = spec.sort.length > 0 ? spec.sort : columns.filter((c) => c.role === 'dimension').map((c) => ({ key: c.key, dir: 'asc' as const }));
  for (const s of sorts) {
    const col = columns.find((c) => c.key === s.key);
    if (!col) {
      throw new ValidationError(msg(`排序列「${s.key}」不在查询结果中`, `Sort key "${s.key}" is not a column of the result`), { field: s.key });
    }
    paged = paged.orderBy(sql.id(col.alias), s.dir);
  }
  // Limit and offset are validated integers; inlined because some MySQL drivers reject them as parameters.
  paged = paged.limit(sql.lit(spec.limit));
  if (spec.offset > 0) paged = paged.offset(sql.lit(spec.offset));

  const main = paged.compile();
  const count = db.selectFrom(base.as('__q')).select(sql`count(*)`.as('n')).compile();
  return {
    sql: main.sql,
    params: [...main.parameters],
    columns,
    countSql: count.sql,
    countParams: [...count.parameters],
    limit: spec.limit,
    offset: spec.offset,
  };
}

/** A field of the query: a column, or a calculated field's SQL. */
interface Resolved {
  field: Field;
  expr: Expr;
  /** An aggregate calculated field: only a measure with agg 'calc'. */
  aggregate: boolean;
}

/** The dataset's fields less those hidden from the viewer. */
export function visibleFields(dataset: Pick<QueryableDataset, 'fields' | 'policy'>): Field[] {
  const hidden = dataset.policy?.hidden;
  return hidden && hidden.size ? dataset.fields.filter((f) => !hidden.has(f.name)) : dataset.fields;
}

const maskedOnly = (name: string) =>
  new ForbiddenError(
    msg(`字段「${name}」对您已脱敏，只能显示或计数，不能用于筛选或求和等计算`, `Field "${name}" is masked for you: it can be shown or counted, not filtered on or aggregated`),
  );

/**
 * The viewer's row permissions as one condition: any matching rule, each rule's conditions all
 * holding. A condition whose values are all missing or of the wrong type matches nothing.
 */
function rowFilterExpr(dataset: QueryableDataset, dialect: SqlDialect): Expr | null {
  const rows = dataset.policy?.rows;
  if (!rows) return null;
  const byName = new Map(dataset.fields.map((f) => [f.name, f]));
  const rules = rows.map((conds) => {
    const parts = conds.map((c) => {
      const field = byName.get(c.field);
      const params: Expr[] = [];
      if (field) {
        for (const v of c.values) {
          try {
            params.push(paramFor(field, v, dialect));
          } catch {
            // An attribute value of the wrong type (text for a number field) matches nothing.
          }
        }
      }
      return field && params.length ? sql`${sql.id(field.name)} in (${sql.join(params)})` : sql`1 = 0`;
    });
    return sql`(${sql.join(parts, sql` and `)})`;
  });
  return rules.length ? sql`(${sql.join(rules, sql` or `)})` : sql`1 = 0`;
}

function fieldLookup(dataset: QueryableDataset, dialect: SqlDialect): (name: string) => Resolved {
  const byName = new Map(dataset.fields.map((f) => [f.name, f]));
  // Calculated fields see only the fields the viewer may use freely: one built on a hidden or
  // masked field would otherwise reveal it (its own name is not on the policy).
  const policy = dataset.policy;
  const open = policy ? dataset.fields.filter((f) => !policy.hidden.has(f.name) && !policy.masked.has(f.name)) : dataset.fields;
  const calc = new CalcScope(open, dataset.calculated ?? []);
  return (name) => {
    if (dataset.policy?.hidden.has(name)) {
      throw new ForbiddenError(msg(`您无权查看字段「${name}」，请联系管理员`, `You may not see field "${name}"; ask an administrator`));
    }
    const field = byName.get(name);
    if (field) return { field, expr: sql.id(field.name), aggregate: false };
    if (calc.has(name)) {
      try {
        const c = calc.field(name);
        return { field: { name, type: c.type, calculated: true }, expr: sql`(${calc.compile(c, dialect)})`, aggregate: c.aggregate };
      } catch (err) {
        if (err instanceof FormulaError) throw err.toValidationError(name);
        throw err;
      }
    }
    throw new ValidationError(
      msg(`字段「${name}」不存在于数据集「${dataset.name}」`, `Field "${name}" does not exist in dataset "${dataset.name}"`),
      { field: name },
    );
  };
}

/** Aggregate calculated fields aggregate themselves: they are measures with agg 'calc', and only they are. */
function rowLevel(r: Resolved): Resolved {
  if (r.aggregate) {
    throw new ValidationError(
      msg(`计算字段「${r.field.name}」是聚合计算，只能作为指标（汇总方式选“计算”）`, `Calculated field "${r.field.name}" aggregates, so it can only be a measure (aggregation "calc")`),
      { field: r.field.name },
    );
  }
  return r;
}

function calcMeasureColumn(agg: Aggregate, r: Resolved | null, label: string | undefined): Omit<OutputColumn, 'alias'> {
  if (!r || !r.aggregate || agg !== 'calc') {
    const name = r?.field.name ?? '';
    throw new ValidationError(
      r?.aggregate
        ? msg(`计算字段「${name}」已含聚合，汇总方式只能选“计算”`, `Calculated field "${name}" already aggregates: its aggregation must be "calc"`)
        : msg(`汇总方式“计算”只适用于聚合计算字段，「${name}」不是`, `Aggregation "calc" is only for aggregate calculated fields; "${name}" is not one`),
      { field: r?.field.name ?? null },
    );
  }
  return { key: measureKey({ agg, field: r.field.name }), label: label ?? r.field.name, type: r.field.type, role: 'measure' };
}

function measureColumn(agg: Aggregate, field: Field | null, label: string | undefined): Omit<OutputColumn, 'alias'> {
  if (!field) {
    if (agg !== 'count') {
      throw new ValidationError(msg(`指标「${agg}」需要选择字段`, `Measure "${agg}" needs a field`), { field: null });
    }
    return { key: measureKey({ agg }), label: label ?? '记录数', type: 'integer', role: 'measure' };
  }
  if ((agg === 'sum' || agg === 'avg') && !isNumericType(field.type)) {
    throw new ValidationError(
      msg(`字段「${field.name}」不是数值，不能求${AGG_LABELS[agg]}`, `Field "${field.name}" is not numeric, so it cannot be aggregated with ${agg}`),
      { field: field.name },
    );
  }
  const type: FieldType = agg === 'count' || agg === 'count_distinct' ? 'integer' : agg === 'sum' || agg === 'avg' ? 'number' : field.type;
  // Sums, minima and maxima of a DECIMAL keep its scale; averages carry scale + 4 digits but show the field's scale.
  const scale = agg === 'count' || agg === 'count_distinct' ? {} : scaleOf(field);
  return { key: measureKey({ agg, field: field.name }), label: label ?? `${field.name} ${AGG_LABELS[agg]}`, type, role: 'measure', ...scale };
}

const scaleOf = (field: Field): { scale?: number } =>
  field.type === 'number' && field.scale !== undefined ? { scale: field.scale } : {};

/** Extra digits of an average over a DECIMAL, as MariaDB's AVG gives them (div_precision_increment = 4). */
export const AVG_EXTRA_SCALE = 4;

/**
 * The average of a DECIMAL(p,s) column, exact and rounded half away from zero to s + 4 digits on
 * every engine, so a report over PostgreSQL, MariaDB or an upload of the same data agrees digit
 * for digit. PostgreSQL and MariaDB average decimals exactly; DuckDB's avg() of a DECIMAL is a
 * DOUBLE, so there it is computed from the exact sum in 128-bit integers (NULL when no values).
 */
function exactAvg(dialect: SqlDialect, col: Expr, scale: number): Expr {
  const digits = scale + AVG_EXTRA_SCALE;
  if (dialect !== 'duckdb') return sql`round(avg(${col}), ${sql.lit(digits)})`;
  const unscaled = sql`cast(sum(${col}) * ${sql.raw(`1${'0'.repeat(scale)}`)} as hugeint)`;
  const twice = sql`(2 * ${unscaled} * ${sql.raw(`1${'0'.repeat(AVG_EXTRA_SCALE)}`)} + sign(sum(${col})) * count(${col}))`;
  return sql`cast(${twice} // (2 * count(${col})) as decimal(38, 0)) * ${sql.raw(`0.${'0'.repeat(digits - 1)}1`)}`;
}

function measureExpr(agg: Exclude<Aggregate, 'calc'>, field: Field | null, col: Expr | null, dialect: SqlDialect): Expr {
  if (!field || !col) return sql`count(*)`;
  switch (agg) {
    case 'sum':
      return sql`sum(${col})`;
    case 'avg':
      return field.type === 'number' && field.scale !== undefined ? exactAvg(dialect, col, field.scale) : sql`avg(${col})`;
    case 'count':
      return sql`count(${col})`;
    case 'count_distinct':
      return sql`count(distinct ${col})`;
    case 'min':
      return sql`min(${col})`;
    case 'max':
      return sql`max(${col})`;
  }
}

/**
 * The period of a date: `key` to group by, `shown` (built on `key`, so computed per group) as an
 * ISO 'YYYY-MM-DD' string of the period's first day on every engine. Weeks start on Monday.
 * On DuckDB, date_trunc and strftime cost far more per row than the scan (a month grouping of
 * 10M rows: 600 ms with `strftime(date_trunc(…))` per row, 35 ms with an integer year-month key).
 */
function datePeriod(dialect: SqlDialect, col: Expr, grain: Grain, type: FieldType): { key: Expr; shown: Expr } {
  if (dialect === 'postgres') {
    const key = sql`date_trunc(${sql.lit(grain)}, ${col})`;
    return { key, shown: sql`to_char(${key}, 'YYYY-MM-DD')` };
  }
  if (dialect === 'duckdb') {
    const day = type === 'date' ? col : sql`cast(${col} as date)`;
    const iso = (d: Expr) => sql`strftime(${d}, '%Y-%m-%d')`;
    const int = (e: Expr) => sql`cast(${e} as integer)`;
    switch (grain) {
      case 'day':
        return { key: day, shown: iso(day) };
      case 'week': {
        // Whole weeks since Monday 0001-01-01: positive for any real date, as `//` truncates toward zero.
        const key = sql`((${day} - DATE '0001-01-01') // 7)`;
        return { key, shown: iso(sql`(DATE '0001-01-01' + ${int(sql`${key} * 7`)})`) };
      }
      case 'month': {
        const key = sql`(year(${col}) * 100 + month(${col}))`;
        return { key, shown: iso(sql`make_date(${int(sql`${key} // 100`)}, ${int(sql`${key} % 100`)}, 1)`) };
      }
      case 'quarter': {
        const key = sql`(year(${col}) * 10 + quarter(${col}))`;
        return { key, shown: iso(sql`make_date(${int(sql`${key} // 10`)}, ${int(sql`(${key} % 10) * 3 - 2`)}, 1)`) };
      }
      case 'year': {
        const key = sql`year(${col})`;
        return { key, shown: iso(sql`make_date(${int(key)}, 1, 1)`) };
      }
    }
  }
  const shown = mysqlPeriod(col, grain);
  return { key: shown, shown };
}

function mysqlPeriod(col: Expr, grain: Grain): Expr {
  switch (grain) {
    case 'day':
      return sql`date_format(${col}, '%Y-%m-%d')`;
    case 'week':
      return sql`date_format(date_sub(${col}, interval weekday(${col}) day), '%Y-%m-%d')`;
    case 'month':
      return sql`date_format(${col}, '%Y-%m-01')`;
    case 'quarter':
      return sql`concat(year(${col}), '-', lpad(quarter(${col}) * 3 - 2, 2, '0'), '-01')`;
    case 'year':
      return sql`date_format(${col}, '%Y-01-01')`;
  }
}

function filterExpr(f: Filter, { field, expr: col }: Resolved, dialect: SqlDialect): Expr {
  switch (f.op) {
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return sql`${col} ${sql.raw(COMPARISONS[f.op])} ${paramFor(field, f.value, dialect)}`;
    case 'in':
    case 'not_in': {
      const list = sql.join(f.value.map((v) => paramFor(field, v, dialect)));
      return f.op === 'in' ? sql`${col} in (${list})` : sql`${col} not in (${list})`;
    }
    case 'between':
      return sql`${col} between ${paramFor(field, f.value[0], dialect)} and ${paramFor(field, f.value[1], dialect)}`;
    case 'contains': {
      if (field.type !== 'string') {
        throw new ValidationError(
          msg(`字段「${field.name}」不是文本，不能用“包含”筛选`, `Field "${field.name}" is not text, so "contains" does not apply`),
          { field: field.name },
        );
      }
      // Case-insensitive everywhere: MySQL's usual collations already are.
      const like = dialect === 'mysql' ? 'like' : 'ilike';
      return sql`${col} ${sql.raw(like)} ${containsPattern(f.value)} escape '!'`;
    }
    case 'is_null':
      return sql`${col} is null`;
    case 'not_null':
      return sql`${col} is not null`;
  }
}
