import { FORMULA_FUNCTIONS, FORMULA_KEYWORDS, type Field } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import { sqlBuilderFor } from '../reports/sqlBuilders.js';
import { CalcScope } from './calcScope.js';
import { FormulaError } from './formulaError.js';

const FIELDS: Field[] = [
  { name: '销售额', type: 'number' },
  { name: '利润', type: 'number' },
  { name: '数量', type: 'integer' },
  { name: '城市', type: 'string' },
  { name: '日期', type: 'date' },
  { name: '会员', type: 'boolean' },
];

const scope = (calculated: { name: string; expression: string }[] = []) => new CalcScope(FIELDS, calculated);

/** The error an expression gives, as the editor shows it. */
function errorOf(expression: string, s = scope()): { zh: string; en: string; position: number } {
  try {
    s.check(expression);
  } catch (err) {
    if (err instanceof FormulaError) return { ...err.full, position: err.position };
    throw err;
  }
  throw new Error(`no error for ${expression}`);
}

describe('formula language: types', () => {
  it('infers the type and the aggregate level', () => {
    expect(scope().check('[利润] / [销售额]')).toMatchObject({ type: 'number', aggregate: false });
    expect(scope().check('[数量] * 2 + 1')).toMatchObject({ type: 'integer', aggregate: false });
    expect(scope().check("IF([数量] > 10, '大单', '小单')")).toMatchObject({ type: 'string' });
    expect(scope().check("CASE WHEN [城市] = '北京' THEN 1 WHEN [会员] THEN 2 ELSE 3 END")).toMatchObject({ type: 'integer' });
    expect(scope().check('YEAR([日期]) * 100 + MONTH([日期])')).toMatchObject({ type: 'integer' });
    expect(scope().check("DATEDIFF([日期], '2024-12-31')")).toMatchObject({ type: 'integer' });
    expect(scope().check("[日期] >= '2024-01-01' AND NOT [会员]")).toMatchObject({ type: 'boolean' });
    expect(scope().check('SUM([利润]) / SUM([销售额])')).toMatchObject({ type: 'number', aggregate: true });
    expect(scope().check('ROUND(SUM([利润]) / COUNT(), 2)')).toMatchObject({ type: 'number', aggregate: true });
    expect(scope().check("CONCAT([城市], '-', [数量])")).toMatchObject({ type: 'string' });
    expect(scope().check('coalesce([利润], 0)')).toMatchObject({ type: 'number' });
  });

  it('lets a calculated field name another, and finds cycles', () => {
    const s = scope([
      { name: '利润率', expression: 'SUM([利润]) / SUM([销售额])' },
      { name: '利润率%', expression: '[利润率] * 100' },
      { name: 'a', expression: '[b] + 1' },
      { name: 'b', expression: '[a] + 1' },
    ]);
    expect(s.field('利润率%')).toMatchObject({ type: 'number', aggregate: true });
    expect(() => s.field('a')).toThrow(/\[b\] has an error.*\[a\] refers to itself in a cycle/);
    expect(errorOf('SUM([利润率])', s)).toMatchObject({ position: 5, zh: '第 5 个字符：[利润率] 已是聚合计算字段，不能再放进聚合函数' });
  });
});

describe('formula language: the list the editor completes from', () => {
  it('names only functions the checker accepts, with the aggregate ones marked', () => {
    for (const f of FORMULA_FUNCTIONS) {
      expect(f.example, f.name).toMatch(new RegExp(`^${f.name}\\(`));
      expect(scope().check(f.example).aggregate, f.example).toBe(f.aggregate === true);
    }
    // The words it offers are the parser's own words, never taken for an unknown function.
    const unknownFunction = (src: string) => {
      try {
        scope().check(src);
        return false;
      } catch (err) {
        return err instanceof FormulaError && err.full.zh.includes('未知函数');
      }
    };
    for (const k of FORMULA_KEYWORDS) expect(unknownFunction(`${k}([会员])`), k).toBe(false);
    expect(unknownFunction('FOO([会员])')).toBe(true);
  });
});

describe('formula language: errors say where and what, in Chinese and English', () => {
  it('unknown field, at its position', () => {
    expect(errorOf('[销售额] + [数量] * [销量]')).toEqual({
      zh: '第 16 个字符：未知字段 [销量]',
      en: 'At character 16: Unknown field [销量]',
      position: 16,
    });
  });

  it('syntax mistakes', () => {
    expect(errorOf('[利润] / ')).toMatchObject({ position: 8, zh: '第 8 个字符：此处应为一个值，却是表达式结尾' });
    expect(errorOf('ROUND([利润], 2')).toMatchObject({ position: 14 });
    expect(errorOf("'abc")).toMatchObject({ position: 1, zh: '第 1 个字符：文本缺少结尾的引号' });
    expect(errorOf('[利润')).toMatchObject({ position: 1, en: 'At character 1: The field name has no closing ]' });
    expect(errorOf('IF([会员]，1，2)')).toMatchObject({ position: 8, zh: '第 8 个字符：请使用半角符号「,」代替全角「，」' });
    expect(errorOf('利润 * 2')).toMatchObject({ position: 1, zh: '第 1 个字符：字段名要写在方括号里，例如 [利润]' });
    expect(errorOf('[利润] [销售额]')).toMatchObject({ position: 6 });
    expect(errorOf('CASE WHEN [会员] THEN 1')).toMatchObject({ position: 22, en: 'At character 22: Expected WHEN, ELSE or END but found the end of the expression' });
    expect(errorOf('')).toMatchObject({ position: 1 });
  });

  it('type mistakes', () => {
    expect(errorOf('[城市] + 1')).toMatchObject({ position: 1, zh: '第 1 个字符：运算符 + 需要数值，这里是文本' });
    expect(errorOf("IF([数量], 'a', 'b')")).toMatchObject({ position: 4 });
    expect(errorOf("IF([会员], 1, 'b')")).toMatchObject({ position: 13 });
    expect(errorOf('YEAR([城市])')).toMatchObject({ position: 6 });
    expect(errorOf("[日期] > '2024-02-30'")).toMatchObject({ position: 8, zh: "第 8 个字符：「2024-02-30」不是日期，日期请写成 '2024-01-31'" });
    expect(errorOf('[城市] = 1')).toMatchObject({ position: 6 });
    expect(errorOf('FOO([利润])')).toMatchObject({ zh: '第 1 个字符：未知函数 FOO' });
    expect(errorOf('ROUND([利润], [数量])')).toMatchObject({ position: 13 });
  });

  it('aggregates cannot nest or mix with row values', () => {
    expect(errorOf('SUM(SUM([利润]))')).toMatchObject({ position: 5 });
    expect(errorOf('SUM([利润]) / [销售额]')).toMatchObject({ position: 13, zh: expect.stringContaining('聚合与非聚合不能混用') });
    expect(errorOf('SUM([城市])')).toMatchObject({ position: 5 });
  });
});

describe('formula language: SQL', () => {
  const compile = (expression: string, dialect: 'duckdb' | 'postgres' | 'mysql') => {
    const s = scope();
    const expr = s.compile(s.check(expression), dialect);
    return sqlBuilderFor(dialect).selectNoFrom(expr.as('v')).compile();
  };

  it('binds every literal the user wrote as a parameter; injection stays text', () => {
    const evil = "'); DROP TABLE users; --";
    for (const dialect of ['duckdb', 'postgres', 'mysql'] as const) {
      const q = compile(`CONCAT([城市], '${evil.replace(/'/g, "''")}', 42)`, dialect);
      expect(q.sql).not.toContain('DROP');
      expect(q.sql).not.toContain('42');
      expect(q.parameters).toEqual([evil, 42]);
    }
  });

  it('refuses anything that is not the formula language', () => {
    expect(errorOf('[利润]; DROP TABLE users')).toMatchObject({ position: 5, zh: '第 5 个字符：无法识别的字符「;」' });
    expect(errorOf('[利润] -- comment')).toMatchObject({ position: 9 });
    expect(errorOf('pg_sleep(10)')).toMatchObject({ zh: '第 1 个字符：未知函数 PG_SLEEP' });
    expect(errorOf('[利润] /* x */')).toMatchObject({ position: 7 });
    // A field name is only ever a quoted identifier of a field the dataset has.
    expect(errorOf('[利润"; DROP TABLE users; --]')).toMatchObject({ zh: '第 1 个字符：未知字段 [利润"; DROP TABLE users; --]' });
  });

  it('divides as real numbers and gives NULL for division by zero', () => {
    expect(compile('[数量] / 0', 'postgres').sql).toBe('select (cast("数量" as numeric) / nullif(cast($1 as bigint), 0)) as "v"');
    expect(compile('[数量] / 0', 'mysql').sql).toBe('select (`数量` / nullif(cast(? as signed), 0)) as `v`');
  });
});
