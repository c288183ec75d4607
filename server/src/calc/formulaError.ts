import { ValidationError, msg, type Msg } from '../errors.js';

/**
 * A mistake in a calculated-field expression, at a 1-based character position, so the editor can
 * say "第 12 个字符：未知字段 [销量]" and put the cursor there.
 */
export class FormulaError extends Error {
  constructor(
    /** 0-based offset into the expression. */
    readonly offset: number,
    readonly text: Msg,
  ) {
    super(text.en);
  }

  /** 1-based, as people count characters. */
  get position(): number {
    return this.offset + 1;
  }

  get full(): Msg {
    return msg(`第 ${this.position} 个字符：${this.text.zh}`, `At character ${this.position}: ${this.text.en}`);
  }

  /** As a 400 for the API, naming the calculated field when there is one. */
  toValidationError(fieldName?: string): ValidationError {
    const full = this.full;
    const m = fieldName ? msg(`计算字段 [${fieldName}] ${full.zh}`, `Calculated field [${fieldName}]: ${full.en}`) : full;
    return new ValidationError(m, { position: this.position, ...(fieldName ? { field: fieldName } : {}) });
  }
}

export const fail = (offset: number, zh: string, en: string): never => {
  throw new FormulaError(offset, msg(zh, en));
};
