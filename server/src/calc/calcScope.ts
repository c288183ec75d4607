import type { CalculatedField, CalculatedFieldView, Field } from '@shulan/shared';
import { sql, type RawBuilder } from 'kysely';
import type { SqlDialect } from '../datasources/types.js';
import { msg } from '../errors.js';
import { checkFormula, type Checked, type Ref } from './checkFormula.js';
import { compileFormula } from './compileFormula.js';
import { FormulaError } from './formulaError.js';
import { parseFormula } from './parseFormula.js';

type Expr = RawBuilder<unknown>;

/**
 * The calculated fields of one dataset over its real fields. A calculated field may name real
 * fields and other calculated fields (checked for cycles); each is parsed and checked once.
 */
export class CalcScope {
  private readonly real: Map<string, Field>;
  private readonly defs: Map<string, CalculatedField>;
  private readonly checked = new Map<string, Checked | FormulaError>();
  private readonly checking = new Set<string>();

  constructor(fields: readonly Field[], calculated: readonly CalculatedField[]) {
    this.real = new Map(fields.map((f) => [f.name, f]));
    this.defs = new Map(calculated.map((c) => [c.name, c]));
  }

  has(name: string): boolean {
    return this.defs.has(name) && !this.real.has(name);
  }

  /** The checked calculated field; throws its FormulaError (positions are within its own expression). */
  field(name: string): Checked {
    const done = this.checked.get(name);
    if (done instanceof FormulaError) throw done;
    if (done) return done;
    const def = this.defs.get(name);
    if (!def) throw new Error(`no calculated field ${name}`);
    this.checking.add(name);
    try {
      const result = this.check(def.expression);
      this.checked.set(name, result);
      return result;
    } catch (err) {
      if (err instanceof FormulaError) this.checked.set(name, err);
      throw err;
    } finally {
      this.checking.delete(name);
    }
  }

  /** Checks an expression that may name this dataset's fields. */
  check(expression: string): Checked {
    return checkFormula(parseFormula(expression), (name) => this.resolve(name));
  }

  private resolve(name: string): Ref | null {
    const f = this.real.get(name);
    if (f) return { type: f.type, level: 'row' };
    if (!this.defs.has(name)) return null;
    if (this.checking.has(name)) {
      throw new FormulaError(0, msg(`计算字段 [${name}] 循环引用了自己`, `Calculated field [${name}] refers to itself in a cycle`));
    }
    try {
      const c = this.field(name);
      return { type: c.type, level: c.aggregate ? 'agg' : 'row' };
    } catch (err) {
      if (err instanceof FormulaError) {
        // Say which referenced field is broken; its own position means nothing in this expression.
        throw new FormulaError(0, msg(`计算字段 [${name}] 有错误（${err.full.zh}）`, `Calculated field [${name}] has an error (${err.full.en})`));
      }
      throw err;
    }
  }

  /** SQL of a checked expression; `[x]` becomes the column or the SQL of calculated field x. */
  compile(checked: Checked, dialect: SqlDialect): Expr {
    return compileFormula(checked, dialect, (name) => {
      if (this.real.has(name)) return sql.id(name);
      return sql`(${this.compile(this.field(name), dialect)})`;
    });
  }

  /** Every calculated field with its type, or its error, for the dataset view. */
  views(): CalculatedFieldView[] {
    return [...this.defs.values()].map((d) => {
      try {
        const c = this.field(d.name);
        return { name: d.name, expression: d.expression, type: c.type, aggregate: c.aggregate };
      } catch (err) {
        if (!(err instanceof FormulaError)) throw err;
        return { name: d.name, expression: d.expression, error: { ...err.full, position: err.position } };
      }
    });
  }
}

/**
 * The fields a filter or a drill-down can use: the real ones, then the calculated fields that
 * work and are row-level (an aggregate has no value per row to filter on).
 */
export function rowFieldsOf(dataset: { fields: Field[]; calculated?: CalculatedField[] }): Field[] {
  if (!dataset.calculated?.length) return dataset.fields;
  const calc = new CalcScope(dataset.fields, dataset.calculated)
    .views()
    .flatMap((c) => (c.type && !c.aggregate && !dataset.fields.some((f) => f.name === c.name) ? [{ name: c.name, type: c.type, calculated: true }] : []));
  return [...dataset.fields, ...calc];
}
