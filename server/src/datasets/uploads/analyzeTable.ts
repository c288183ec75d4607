import type { Field, UploadCellError } from '@shulan/shared';
import { convertCell, inferType } from './cellTypes.js';
import type { ParsedTable } from './parseUploadFile.js';

export const MAX_REPORTED_ERRORS = 100;

/** Fields inferred from all values of each column. */
export function inferFields(t: ParsedTable): Field[] {
  return t.header.map((name, c) => ({ name, type: inferType(t.rows.map((r) => r[c] ?? null)) }));
}

export interface Checked {
  errors: UploadCellError[];
  /** Rows with at least one value that does not fit its column. */
  badRows: number;
}

/** Checks every row against the fields' types; lists the first values that do not fit. */
export function checkRows(t: ParsedTable, fields: Field[], lang: 'zh' | 'en'): Checked {
  const errors: UploadCellError[] = [];
  let badRows = 0;
  t.rows.forEach((r, i) => {
    let ok = true;
    fields.forEach((f, c) => {
      const cell = r[c] ?? null;
      if (convertCell(cell, f.type).ok) return;
      ok = false;
      if (errors.length < MAX_REPORTED_ERRORS) {
        errors.push({ row: t.lineNumbers[i] ?? i + 2, column: f.name, message: explain(cell, f.type, lang) });
      }
    });
    if (!ok) badRows++;
  });
  return { errors, badRows };
}

/** The rows converted to the fields' types, one at a time (no second copy of a big file); bad rows are left out. */
export function* convertedRows(t: ParsedTable, fields: Field[]): Generator<unknown[]> {
  for (const r of t.rows) {
    const out: unknown[] = new Array(fields.length);
    let ok = true;
    for (let c = 0; c < fields.length && ok; c++) {
      const conv = convertCell(r[c] ?? null, fields[c]!.type);
      if (conv.ok) out[c] = conv.value;
      else ok = false;
    }
    if (ok) yield out;
  }
}

function explain(cell: unknown, type: Field['type'], lang: 'zh' | 'en'): string {
  const shown = String(cell instanceof Date ? cell.toISOString() : cell).slice(0, 100);
  return lang === 'zh' ? `「${shown}」不是${TYPE_ZH[type]}` : `"${shown}" is not ${TYPE_EN[type]}`;
}

const TYPE_EN: Record<Field['type'], string> = {
  string: 'text',
  integer: 'an integer',
  number: 'a number',
  boolean: 'yes/no',
  date: 'a date',
  datetime: 'a date and time',
};

const TYPE_ZH: Record<Field['type'], string> = {
  string: '文本',
  integer: '整数',
  number: '数字',
  boolean: '是/否',
  date: '日期',
  datetime: '日期时间',
};
