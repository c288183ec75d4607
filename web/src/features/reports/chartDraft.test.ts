import type { Field } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import { resultColumns } from './components/resultColumns';
import { defaultQuery } from './reportDraft';

const fields: Field[] = [
  { name: '日期', type: 'date' },
  { name: '区域', type: 'string' },
  { name: '城市', type: 'string' },
  { name: '销量', type: 'integer' },
  { name: '销售额', type: 'number' },
];

describe('first queries of the chart kinds', () => {
  it('gives a scatter two measures, a pivot a row and a column dimension, a gauge one figure', () => {
    expect(defaultQuery('scatter', fields).measures).toEqual([
      { field: '销量', agg: 'sum' },
      { field: '销售额', agg: 'sum' },
    ]);
    expect(defaultQuery('pivot', fields).dimensions).toEqual([{ field: '区域' }, { field: '城市' }]);
    expect(defaultQuery('gauge', fields)).toMatchObject({ dimensions: [], limit: 1 });
    expect(defaultQuery('funnel', fields).limit).toBe(20);
  });

  it('lists the result columns under the keys the server gives them, for formats and the combo axis', () => {
    const cols = resultColumns(
      { dimensions: [{ field: '日期', grain: 'month' }], measures: [{ field: '销售额', agg: 'sum', label: '销售额' }, { agg: 'count' }] },
      (agg) => ({ sum: '求和', count: '计数' })[agg as 'sum' | 'count'],
    );
    expect(cols).toEqual([
      { key: '日期__month', label: '日期', measure: false },
      { key: 'sum__销售额', label: '销售额', measure: true },
      { key: 'count', label: '计数', measure: true },
    ]);
  });
});
