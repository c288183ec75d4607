import { sql, type RawBuilder } from 'kysely';
import type { SqlDialect } from '../datasources/types.js';
import type { Checked, CType } from './checkFormula.js';
import type { Node } from './parseFormula.js';

type Expr = RawBuilder<unknown>;

/** How `[name]` compiles: a column (quoted identifier) or another calculated field's SQL. */
export type CompileRef = (name: string) => Expr;

// Every literal the user wrote becomes a bound parameter with an explicit type (PostgreSQL
// cannot infer the type of `$1` inside CONCAT or next to an integer column); identifiers are
// quoted by Kysely and only ever name a checked dataset field. Operators and function names come
// from the fixed tables below, never from the expression text.

const textType = { postgres: 'text', duckdb: 'varchar', mysql: 'char' } as const;

function literal(n: Node, t: CType, dialect: SqlDialect): Expr {
  switch (n.k) {
    case 'num':
      // Typed, so MySQL does not make COALESCE(decimal, ?) a DOUBLE, and decimal literals stay
      // exact next to DECIMAL columns (as doubles, 5.50 * 1.5 would round to 8.2).
      if (dialect === 'mysql') return Number.isInteger(n.v) ? sql`cast(${sql.val(n.v)} as signed)` : sql`cast(${String(n.v)} as decimal(38,10))`;
      return Number.isInteger(n.v) && Math.abs(n.v) <= Number.MAX_SAFE_INTEGER
        ? sql`cast(${sql.val(n.v)} as bigint)`
        : sql`cast(${sql.val(n.v)} as ${sql.raw(dialect === 'postgres' ? 'numeric' : 'double')})`;
    case 'str':
      if (t === 'date') return sql`cast(${sql.val(n.v)} as date)`;
      return sql`cast(${sql.val(n.v)} as ${sql.raw(textType[dialect])})`;
    default:
      throw new Error(`not a literal: ${n.k}`);
  }
}

const DATE_PART = {
  YEAR: { pg: 'year', my: 'year' },
  MONTH: { pg: 'month', my: 'month' },
  DAY: { pg: 'day', my: 'dayofmonth' },
  QUARTER: { pg: 'quarter', my: 'quarter' },
} as const;

/** Compiles a checked expression into SQL for one engine. */
export function compileFormula(checked: Checked, dialect: SqlDialect, ref: CompileRef): Expr {
  const typeOf = (n: Node): CType => checked.types.get(n) ?? 'null';

  function c(n: Node): Expr {
    switch (n.k) {
      case 'num':
      case 'str':
        return literal(n, typeOf(n), dialect);
      case 'bool':
        return sql.raw(n.v ? 'true' : 'false');
      case 'null':
        return sql.raw('null');
      case 'field':
        return ref(n.name);
      case 'neg':
        return sql`(-${c(n.e)})`;
      case 'not':
        return sql`(not ${c(n.e)})`;
      case 'bin':
        return binary(n);
      case 'case': {
        const whens = n.whens.map((w) => sql`when ${c(w.cond)} then ${c(w.then)}`);
        return sql`(case ${sql.join(whens, sql` `)}${n.else ? sql` else ${c(n.else)}` : sql``} end)`;
      }
      case 'call':
        return call(n);
    }
  }

  function binary(n: Extract<Node, { k: 'bin' }>): Expr {
    const l = c(n.l);
    const r = c(n.r);
    switch (n.op) {
      case '/':
        // Real division everywhere (PostgreSQL would truncate integers), and x/0 is NULL, not an error.
        if (dialect === 'postgres') return sql`(cast(${l} as numeric) / nullif(${r}, 0))`;
        if (dialect === 'duckdb') return sql`(cast(${l} as double) / nullif(${r}, 0))`;
        return sql`(${l} / nullif(${r}, 0))`;
      case 'and':
      case 'or':
        return sql`(${l} ${sql.raw(n.op)} ${r})`;
      default:
        return sql`(${l} ${sql.raw(n.op)} ${r})`;
    }
  }

  const asDate = (e: Expr) => sql`cast(${e} as date)`;

  function call(n: Extract<Node, { k: 'call' }>): Expr {
    const a = n.args.map(c);
    switch (n.name) {
      case 'SUM':
        return sql`sum(${a[0]!})`;
      case 'AVG':
        return sql`avg(${a[0]!})`;
      case 'MIN':
        return sql`min(${a[0]!})`;
      case 'MAX':
        return sql`max(${a[0]!})`;
      case 'COUNT':
        return a.length === 0 ? sql`count(*)` : sql`count(${a[0]!})`;
      case 'COUNT_DISTINCT':
        return sql`count(distinct ${a[0]!})`;
      case 'IF':
        return sql`(case when ${a[0]!} then ${a[1]!} else ${a[2]!} end)`;
      case 'YEAR':
      case 'MONTH':
      case 'DAY':
      case 'QUARTER': {
        const part = DATE_PART[n.name];
        if (dialect === 'mysql') return sql`${sql.raw(part.my)}(${a[0]!})`;
        return sql`cast(extract(${sql.raw(part.pg)} from ${a[0]!}) as integer)`;
      }
      case 'WEEKDAY':
        // 1 = Monday … 7 = Sunday on every engine (ISO), as Chinese calendars count 星期一 first.
        if (dialect === 'mysql') return sql`(weekday(${a[0]!}) + 1)`;
        return sql`cast(extract(isodow from ${a[0]!}) as integer)`;
      case 'DATEDIFF':
        // DATEDIFF(start, end): whole days from start to end, times of day ignored.
        if (dialect === 'mysql') return sql`datediff(${a[1]!}, ${a[0]!})`;
        if (dialect === 'duckdb') return sql`datediff('day', ${asDate(a[0]!)}, ${asDate(a[1]!)})`;
        return sql`(${asDate(a[1]!)} - ${asDate(a[0]!)})`;
      case 'ROUND': {
        const digits = n.args[1] ? digitsOf(n.args[1]) : 0;
        // A checked integer from -10 to 10, inlined like LIMIT: with a parameter here MySQL types
        // the result as DOUBLE and rounds 8.25 to 8.2.
        const d = sql.lit(digits);
        // PostgreSQL rounds to digits only for numeric; DuckDB's round keeps doubles.
        if (dialect === 'postgres') return sql`round(cast(${a[0]!} as numeric), ${d})`;
        return sql`round(${a[0]!}, ${d})`;
      }
      case 'ABS':
        return sql`abs(${a[0]!})`;
      case 'COALESCE':
      case 'IFNULL':
        return sql`coalesce(${sql.join(a)})`;
      case 'CONCAT': {
        // NULL parts count as empty text on every engine (MySQL's CONCAT would return NULL).
        const parts = n.args.map((arg, i) => {
          const text = typeOf(arg) === 'string' ? a[i]! : sql`cast(${a[i]!} as ${sql.raw(textType[dialect])})`;
          return sql`coalesce(${text}, '')`;
        });
        return sql`concat(${sql.join(parts)})`;
      }
      default:
        throw new Error(`unchecked function ${n.name}`);
    }
  }

  return c(checked.root);
}

function digitsOf(n: Node): number {
  if (n.k === 'num') return n.v;
  if (n.k === 'neg' && n.e.k === 'num') return -n.e.v;
  throw new Error('ROUND digits not checked');
}
