import { describe, expect, it } from 'vitest';
import type { Widget } from '../../api/types';
import { autoLayout, defaultQuery } from './reportDraft';

const w = (id: string, width: number, height = 4): Widget => ({
  id,
  kind: 'bar',
  title: '',
  datasetId: 'd',
  query: {},
  layout: { x: 0, y: 0, w: width, h: height },
});

describe('autoLayout', () => {
  it('flows widgets left to right and wraps at 12 columns below the tallest of the row', () => {
    const placed = autoLayout([w('a', 6, 4), w('b', 6, 2), w('c', 4, 3), w('d', 12, 5)]).map((x) => x.layout);
    expect(placed).toEqual([
      { x: 0, y: 0, w: 6, h: 4 },
      { x: 6, y: 0, w: 6, h: 2 },
      { x: 0, y: 4, w: 4, h: 3 },
      { x: 0, y: 7, w: 12, h: 5 },
    ]);
  });
});

describe('defaultQuery', () => {
  const fields = [
    { name: '日期', type: 'date' as const },
    { name: '区域', type: 'string' as const },
    { name: '销售额', type: 'number' as const },
  ];

  it('charts group by the first text field and sum the first number', () => {
    expect(defaultQuery('bar', fields)).toMatchObject({ dimensions: [{ field: '区域' }], measures: [{ field: '销售额', agg: 'sum' }] });
  });

  it('tables list the columns; KPI cards have one measure and no dimension', () => {
    expect(defaultQuery('table', fields).columns).toEqual(['日期', '区域', '销售额']);
    expect(defaultQuery('kpi', fields)).toMatchObject({ dimensions: [], measures: [{ agg: 'sum', field: '销售额' }] });
  });

  it('counts rows when the dataset has no number', () => {
    expect(defaultQuery('pie', [{ name: '区域', type: 'string' }]).measures).toEqual([{ agg: 'count' }]);
  });
});
