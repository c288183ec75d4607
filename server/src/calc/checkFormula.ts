import type { FieldType } from '@shulan/shared';
import { isCalendarDate } from '../reports/queryValues.js';
import { FormulaError, fail } from './formulaError.js';
import type { Node } from './parseFormula.js';

/** A value's type while checking: a field type, or 'null' for the NULL literal (fits anything). */
export type CType = FieldType | 'null';

/** const: no field at all; row: one value per row; agg: one value per group (contains SUM(…) etc.). */
export type Level = 'const' | 'row' | 'agg';

/** What a `[name]` refers to: a column of the dataset or another calculated field. */
export interface Ref {
  type: FieldType;
  level: 'row' | 'agg';
}

export interface Checked {
  root: Node;
  type: FieldType;
  aggregate: boolean;
  /** Types the compiler needs (integer vs number, a text literal read as a date). */
  types: Map<Node, CType>;
}

const TYPE_NAMES: Record<CType, [string, string]> = {
  integer: ['整数', 'an integer'],
  number: ['数值', 'a number'],
  string: ['文本', 'text'],
  boolean: ['真假值', 'true/false'],
  date: ['日期', 'a date'],
  datetime: ['日期时间', 'a date-time'],
  null: ['空值', 'NULL'],
};

export const AGGREGATE_FUNCTIONS = new Set(['SUM', 'AVG', 'MIN', 'MAX', 'COUNT', 'COUNT_DISTINCT']);

const isNum = (t: CType) => t === 'integer' || t === 'number';
const isTime = (t: CType) => t === 'date' || t === 'datetime';
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/** The common type of two branches/operands, or null when they cannot mix. */
function unify(a: CType, b: CType): CType | null {
  if (a === 'null') return b;
  if (b === 'null') return a;
  if (a === b) return a;
  if (isNum(a) && isNum(b)) return 'number';
  if (isTime(a) && isTime(b)) return 'datetime';
  return null;
}

/**
 * Type-checks a parsed expression against the fields it may name. Throws FormulaError with the
 * position of the offending part.
 */
export function checkFormula(root: Node, resolve: (name: string) => Ref | null): Checked {
  const types = new Map<Node, CType>();

  const need = (n: Node, t: CType, ok: (t: CType) => boolean, what: [string, string], where: [string, string]) => {
    if (!ok(t)) {
      fail(n.pos, `${where[0]}需要${what[0]}，这里是${TYPE_NAMES[t][0]}`, `${where[1]} needs ${what[1]}, this is ${TYPE_NAMES[t][1]}`);
    }
  };
  const NUM: [string, string] = ['数值', 'a number'];
  const BOOL: [string, string] = ['真假值（如比较）', 'true/false (such as a comparison)'];
  const TIME: [string, string] = ['日期', 'a date'];

  /** Levels combine: const fits anything, row and agg cannot meet outside an aggregate. */
  const combine = (levels: { n: Node; level: Level }[]): Level => {
    const agg = levels.find((l) => l.level === 'agg');
    const row = levels.find((l) => l.level === 'row');
    if (agg && row) {
      fail(
        row.n.pos,
        '聚合与非聚合不能混用：这一部分要放进 SUM、AVG 等聚合函数里，或者去掉其他部分的聚合',
        'Aggregate and row-level parts cannot mix: put this part inside SUM, AVG…, or aggregate nothing',
      );
    }
    return agg ? 'agg' : row ? 'row' : 'const';
  };

  function visit(n: Node, inAgg: boolean): { t: CType; level: Level } {
    const r = visitInner(n, inAgg);
    types.set(n, r.t);
    return r;
  }

  /** A text literal compared with a date is read as that date ('2024-01-01'). */
  function asDateIfText(lit: Node, other: CType): void {
    if (lit.k === 'str' && isTime(other)) {
      if (!DATE_TEXT.test(lit.v) || !isCalendarDate(lit.v)) {
        fail(lit.pos, `「${lit.v}」不是日期，日期请写成 '2024-01-31'`, `"${lit.v}" is not a date; write dates as '2024-01-31'`);
      }
      types.set(lit, 'date');
    }
  }

  function visitInner(n: Node, inAgg: boolean): { t: CType; level: Level } {
    switch (n.k) {
      case 'num':
        return { t: Number.isInteger(n.v) ? 'integer' : 'number', level: 'const' };
      case 'str':
        return { t: 'string', level: 'const' };
      case 'bool':
        return { t: 'boolean', level: 'const' };
      case 'null':
        return { t: 'null', level: 'const' };
      case 'field': {
        let ref: Ref | null;
        try {
          ref = resolve(n.name);
        } catch (err) {
          // A broken or cyclic calculated field: point at where this expression names it.
          if (err instanceof FormulaError) throw new FormulaError(n.pos, err.text);
          throw err;
        }
        if (!ref) fail(n.pos, `未知字段 [${n.name}]`, `Unknown field [${n.name}]`);
        if (ref!.level === 'agg' && inAgg) fail(n.pos, `[${n.name}] 已是聚合计算字段，不能再放进聚合函数`, `[${n.name}] is already an aggregate; it cannot go inside another aggregate`);
        return { t: ref!.type, level: ref!.level };
      }
      case 'neg': {
        const e = visit(n.e, inAgg);
        need(n.e, e.t, (t) => isNum(t) || t === 'null', NUM, ['负号', 'A minus sign']);
        return e;
      }
      case 'not': {
        const e = visit(n.e, inAgg);
        need(n.e, e.t, (t) => t === 'boolean' || t === 'null', BOOL, ['NOT ', 'NOT']);
        return { t: 'boolean', level: e.level };
      }
      case 'bin': {
        const l = visit(n.l, inAgg);
        const r = visit(n.r, inAgg);
        const level = combine([
          { n: n.l, level: l.level },
          { n: n.r, level: r.level },
        ]);
        const opName: [string, string] = [`运算符 ${n.op.toUpperCase()} `, `The operator ${n.op.toUpperCase()}`];
        switch (n.op) {
          case '+':
          case '-':
          case '*':
            need(n.l, l.t, (t) => isNum(t) || t === 'null', NUM, opName);
            need(n.r, r.t, (t) => isNum(t) || t === 'null', NUM, opName);
            return { t: l.t === 'integer' && r.t === 'integer' ? 'integer' : 'number', level };
          case '/':
            need(n.l, l.t, (t) => isNum(t) || t === 'null', NUM, opName);
            need(n.r, r.t, (t) => isNum(t) || t === 'null', NUM, opName);
            return { t: 'number', level };
          case 'and':
          case 'or':
            need(n.l, l.t, (t) => t === 'boolean' || t === 'null', BOOL, opName);
            need(n.r, r.t, (t) => t === 'boolean' || t === 'null', BOOL, opName);
            return { t: 'boolean', level };
          default: {
            asDateIfText(n.l, r.t);
            asDateIfText(n.r, l.t);
            const lt = types.get(n.l)!;
            const rt = types.get(n.r)!;
            if (unify(lt, rt) === null) {
              fail(n.pos, `不能比较${TYPE_NAMES[lt][0]}和${TYPE_NAMES[rt][0]}`, `Cannot compare ${TYPE_NAMES[lt][1]} with ${TYPE_NAMES[rt][1]}`);
            }
            return { t: 'boolean', level };
          }
        }
      }
      case 'case': {
        const parts: { n: Node; level: Level }[] = [];
        let t: CType = 'null';
        const branch = (b: Node) => {
          const v = visit(b, inAgg);
          parts.push({ n: b, level: v.level });
          const u = unify(t, v.t);
          if (u === null) fail(b.pos, `各分支的类型要一致：前面是${TYPE_NAMES[t][0]}，这里是${TYPE_NAMES[v.t][0]}`, `All branches must have one type: earlier ${TYPE_NAMES[t][1]}, here ${TYPE_NAMES[v.t][1]}`);
          t = u!;
        };
        for (const w of n.whens) {
          const c = visit(w.cond, inAgg);
          need(w.cond, c.t, (x) => x === 'boolean' || x === 'null', BOOL, ['WHEN ', 'WHEN']);
          parts.push({ n: w.cond, level: c.level });
          branch(w.then);
        }
        if (n.else) branch(n.else);
        return { t, level: combine(parts) };
      }
      case 'call':
        return call(n, inAgg);
    }
  }

  function call(n: Extract<Node, { k: 'call' }>, inAgg: boolean): { t: CType; level: Level } {
    const arity = (min: number, max: number) => {
      if (n.args.length < min || n.args.length > max) {
        const zh = min === max ? `${min} 个` : max === Infinity ? `至少 ${min} 个` : `${min} 到 ${max} 个`;
        const en = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
        fail(n.pos, `函数 ${n.name} 需要${zh}参数`, `${n.name} takes ${en} argument(s)`);
      }
    };
    const fn: [string, string] = [`函数 ${n.name} `, n.name];
    if (AGGREGATE_FUNCTIONS.has(n.name)) {
      if (inAgg) fail(n.pos, `聚合函数 ${n.name} 不能放在另一个聚合函数里`, `The aggregate ${n.name} cannot be inside another aggregate`);
      if (n.name === 'COUNT' && n.args.length === 0) return { t: 'integer', level: 'agg' };
      arity(1, 1);
      const a = visit(n.args[0]!, true);
      if (n.name === 'SUM' || n.name === 'AVG') need(n.args[0]!, a.t, (t) => isNum(t) || t === 'null', NUM, fn);
      const t: CType = n.name === 'COUNT' || n.name === 'COUNT_DISTINCT' ? 'integer' : n.name === 'AVG' ? 'number' : n.name === 'SUM' ? (a.t === 'integer' ? 'integer' : 'number') : a.t;
      return { t, level: 'agg' };
    }
    const args = n.args.map((a) => visit(a, inAgg));
    const level = () => combine(n.args.map((a, i) => ({ n: a, level: args[i]!.level })));
    switch (n.name) {
      case 'IF': {
        arity(3, 3);
        need(n.args[0]!, args[0]!.t, (t) => t === 'boolean' || t === 'null', BOOL, ['IF 的第一个参数', 'The first argument of IF']);
        const t = unify(args[1]!.t, args[2]!.t);
        if (t === null) fail(n.args[2]!.pos, `IF 的两个结果类型要一致：${TYPE_NAMES[args[1]!.t][0]}和${TYPE_NAMES[args[2]!.t][0]}`, `Both results of IF must have one type: ${TYPE_NAMES[args[1]!.t][1]} and ${TYPE_NAMES[args[2]!.t][1]}`);
        return { t: t!, level: level() };
      }
      case 'YEAR':
      case 'MONTH':
      case 'DAY':
      case 'QUARTER':
      case 'WEEKDAY':
        arity(1, 1);
        need(n.args[0]!, args[0]!.t, (t) => isTime(t) || t === 'null', TIME, fn);
        return { t: 'integer', level: level() };
      case 'DATEDIFF':
        arity(2, 2);
        for (const i of [0, 1]) {
          asDateIfText(n.args[i]!, 'date');
          need(n.args[i]!, types.get(n.args[i]!)!, (t) => isTime(t) || t === 'null', TIME, fn);
        }
        return { t: 'integer', level: level() };
      case 'ROUND': {
        arity(1, 2);
        need(n.args[0]!, args[0]!.t, (t) => isNum(t) || t === 'null', NUM, fn);
        const digits = n.args[1];
        if (digits && !(digits.k === 'num' && Number.isInteger(digits.v) && digits.v >= -10 && digits.v <= 10) && !(digits.k === 'neg' && digits.e.k === 'num' && Number.isInteger(digits.e.v) && digits.e.v <= 10)) {
          fail(digits.pos, 'ROUND 的小数位数要写成 -10 到 10 的整数', 'The digits of ROUND must be a whole number from -10 to 10');
        }
        return { t: digits ? 'number' : args[0]!.t === 'integer' ? 'integer' : 'number', level: level() };
      }
      case 'ABS':
        arity(1, 1);
        need(n.args[0]!, args[0]!.t, (t) => isNum(t) || t === 'null', NUM, fn);
        return { t: args[0]!.t, level: level() };
      case 'COALESCE':
      case 'IFNULL': {
        if (n.name === 'IFNULL') arity(2, 2);
        else arity(1, Infinity);
        let t: CType = 'null';
        n.args.forEach((a, i) => {
          const u = unify(t, args[i]!.t);
          if (u === null) fail(a.pos, `${n.name} 的各参数类型要一致`, `The arguments of ${n.name} must have one type`);
          t = u!;
        });
        return { t, level: level() };
      }
      case 'CONCAT':
        arity(1, Infinity);
        return { t: 'string', level: level() };
      default:
        return fail(n.pos, `未知函数 ${n.name}`, `Unknown function ${n.name}`);
    }
  }

  const top = visit(root, false);
  return { root, type: top.t === 'null' ? 'string' : top.t, aggregate: top.level === 'agg', types };
}
