import { describe, expect, it } from 'vitest';
import { attachmentHeader, toCsv } from './toCsv.js';

describe('toCsv', () => {
  it('quotes commas, quotes and newlines, and defuses formulas in text', () => {
    const csv = toCsv({
      columns: [
        { key: 'a', label: '名称', type: 'string' },
        { key: 'b', label: '金额', type: 'number' },
      ],
      rows: [
        { a: '甲,乙', b: -5 },
        { a: 'say "hi"\nnow', b: null },
        { a: '=HYPERLINK("x")', b: 1.5 },
      ],
    });
    expect(csv).toBe('\uFEFF名称,金额\r\n"甲,乙",-5\r\n"say ""hi""\nnow",\r\n"\'=HYPERLINK(""x"")",1.5\r\n');
  });

  it('writes an ASCII fallback and the UTF-8 name in Content-Disposition', () => {
    expect(attachmentHeader('销售/明细 (1).csv')).toBe(
      `attachment; filename="_____ (1).csv"; filename*=UTF-8''%E9%94%80%E5%94%AE_%E6%98%8E%E7%BB%86%20%281%29.csv`,
    );
  });
});
