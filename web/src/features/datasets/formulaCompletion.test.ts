import { describe, expect, it } from 'vitest';
import { applyCompletion, formulaCompletions } from './formulaCompletion';

const fields = ['销售额', '销量', '利润', '城市', 'Sales Rep'];

/** The suggestions with the cursor at the end of `typed`, as labels. */
const labels = (typed: string) => formulaCompletions(typed, typed.length, fields)?.items.map((i) => i.label) ?? [];
/** `typed` with the first suggestion accepted at its end. */
const accept = (typed: string, after = '', pick = 0) => {
  const c = formulaCompletions(typed + after, typed.length, fields)!;
  return applyCompletion(typed + after, c, c.items[pick]!);
};

describe('formula completion', () => {
  it('suggests functions by their first letters and inserts the name with its opening bracket', () => {
    expect(labels('SU')).toEqual(['SUM']);
    expect(labels('ROUND([利润] / co')).toEqual(['COUNT', 'COUNT_DISTINCT', 'COALESCE', 'CONCAT']);
    expect(accept('ROUND(su')).toEqual({ text: 'ROUND(SUM(', caret: 10 });
  });

  it('inside [ lists the fields that match, and closes the reference', () => {
    expect(labels('SUM([')).toEqual(fields);
    expect(labels('SUM([销')).toEqual(['销售额', '销量']);
    expect(labels('[sales')).toEqual(['Sales Rep']);
    expect(accept('SUM([销')).toEqual({ text: 'SUM([销售额]', caret: 9 });
  });

  it('replaces the whole reference when editing inside one, and the whole word in the middle of one', () => {
    expect(accept('SUM([利', '润]) + 1')).toEqual({ text: 'SUM([利润]) + 1', caret: 8 });
    expect(accept('AV', 'G([利润])')).toEqual({ text: 'AVG([利润])', caret: 4 });
  });

  it('offers fields for a Chinese word typed without brackets, and keywords not yet typed out', () => {
    expect(labels('利')).toEqual(['利润']);
    expect(accept('1 + 城')).toEqual({ text: '1 + [城市]', caret: 8 });
    expect(labels('CASE WHEN [利润] > 0 TH')).toEqual(['THEN']);
    expect(accept('[利润] > 0 AN').text).toBe('[利润] > 0 AND ');
    expect(labels('[利润] > 0 AND')).toEqual([]);
  });

  it('stays quiet inside quoted text, after a closed reference and with nothing typed', () => {
    expect(labels("IF([利润] > 0, 'su")).toEqual([]);
    expect(labels("CONCAT('it''s su")).toEqual([]);
    expect(labels("CONCAT('a', su")).toEqual(['SUM']);
    expect(labels('[利润] ')).toEqual([]);
    expect(labels('')).toEqual([]);
    expect(labels('12')).toEqual([]);
  });
});
