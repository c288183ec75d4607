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

  it('writes raw numbers by default and, when asked, the cells as the report shows them', () => {
    const result = {
      columns: [
        { key: '日期__month', label: '月份', type: 'date' },
        { key: 'sum__销售额', label: '销售额', type: 'number' },
        { key: 'avg__毛利率', label: '毛利率', type: 'number' },
        { key: '备注', label: '备注', type: 'string' },
      ],
      rows: [
        { 日期__month: '2025-03-01', sum__销售额: 1234567.891, avg__毛利率: 0.2345, 备注: '-1+1' },
        { 日期__month: '2025-04-01', sum__销售额: -2500, avg__毛利率: null, 备注: null },
      ],
    };
    // Raw: what Excel can sum (full precision, ISO dates).
    expect(toCsv(result)).toBe('\uFEFF月份,销售额,毛利率,备注\r\n2025-03-01,1234567.891,0.2345,\'-1+1\r\n2025-04-01,-2500,,\r\n');
    const shown = toCsv(result, {
      formats: { sum__销售额: { kind: 'currency', unit: 'wan', decimals: 2 }, avg__毛利率: { kind: 'percent', decimals: 1 } },
      lang: 'zh',
    });
    expect(shown).toBe('\uFEFF月份,销售额,毛利率,备注\r\n2025年3月,¥123.46万,23.5%,\'-1+1\r\n2025年4月,-¥0.25万,,\r\n');
    // Thousands separators make the cell quoted, not split.
    expect(toCsv(result, { formats: { sum__销售额: { kind: 'number', decimals: 2 } }, lang: 'en' })).toContain('2025-03,"1,234,567.89",0.23,');
  });

  it('writes an ASCII fallback and the UTF-8 name in Content-Disposition', () => {
    expect(attachmentHeader('销售/明细 (1).csv')).toBe(
      `attachment; filename="_____ (1).csv"; filename*=UTF-8''%E9%94%80%E5%94%AE_%E6%98%8E%E7%BB%86%20%281%29.csv`,
    );
  });
});
