import type { ReportFilter, QueryResult } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import { categoryAt, categoryLabel, selectionFor } from './interaction';
import { readViewState, toggleSelection, writeViewState } from './viewState';

const filters: ReportFilter[] = [
  { id: 'date', label: '日期', kind: 'date_range', field: '日期', default: { preset: 'this_month' } },
  { id: 'region', label: '区域', kind: 'values', field: '区域' },
];

describe('report view state in the URL', () => {
  it('round-trips filters, selection and drill-down, and an untouched view has a clean URL', () => {
    const fresh = readViewState(new URLSearchParams(), filters);
    expect(fresh).toEqual({ filters: { date: { preset: 'this_month' } }, selection: [], drill: {} });
    expect(writeViewState(fresh, filters).toString()).toBe('');

    const view = {
      filters: { date: { preset: 'last_7_days' as const }, region: ['华东'] },
      selection: [{ widgetId: 'bar', field: '区域', value: '华东' }],
      drill: { bar: ['华东', '上海'], line: [] },
    };
    const url = writeViewState(view, filters);
    expect(url.has('drill')).toBe(true);
    expect(readViewState(new URLSearchParams(url.toString()), filters)).toEqual({ ...view, drill: { bar: ['华东', '上海'] } });
  });

  it('keeps a cleared default cleared, and drops malformed parts of a hand-edited link', () => {
    const cleared = writeViewState({ filters: { date: null }, selection: [], drill: {} }, filters);
    expect(readViewState(cleared, filters).filters).toEqual({ date: null });
    const bad = new URLSearchParams({ f: '{oops', sel: '[{"widgetId":1}]', drill: '{"bar":[{"x":1}]}' });
    expect(readViewState(bad, filters)).toEqual({ filters: { date: { preset: 'this_month' } }, selection: [], drill: {} });
  });

  it('a click replaces the widget’s selection, the same click again clears it, other widgets keep theirs', () => {
    const a = [{ widgetId: 'bar', field: '区域', value: '华东' }];
    const b = [{ widgetId: 'pie', field: '产品类别', value: '家具' }];
    let s = toggleSelection([], a);
    s = toggleSelection(s, b);
    expect(s).toEqual([...a, ...b]);
    s = toggleSelection(s, [{ widgetId: 'bar', field: '区域', value: '华南' }]);
    expect(s).toEqual([...b, { widgetId: 'bar', field: '区域', value: '华南' }]);
    expect(toggleSelection(s, b)).toEqual([{ widgetId: 'bar', field: '区域', value: '华南' }]);
  });
});

describe('chart clicks to categories', () => {
  const result: QueryResult = {
    columns: [
      { key: '日期__month', label: '日期（月）', type: 'date' },
      { key: 'sum__销售额', label: '销售额', type: 'number' },
    ],
    rows: [
      { '日期__month': '2025-01-01', 'sum__销售额': 1 },
      { '日期__month': '2025-02-01', 'sum__销售额': 2 },
      { '日期__month': null, 'sum__销售额': 3 },
    ],
    total: 3,
    cached: false,
  };
  it('maps a bar index to its raw category and shows it at its grain', () => {
    expect(categoryAt(result, '日期__month', 1, false)).toBe('2025-02-01');
    expect(categoryAt(result, '日期__month', 2, true)).toBeNull();
    expect(categoryLabel('2025-02-01', 'month')).toBe('2025-02');
    expect(categoryLabel('2025-05-01', 'quarter')).toBe('2025 Q2');
    expect(categoryLabel(null)).toBe('∅');
  });
  it('a click on a drilled widget selects the path above it too', () => {
    const widget = { id: 'bar', kind: 'bar' as const, query: { dimensions: [{ field: '区域' }] }, options: { drillFields: [{ field: '城市' }] } };
    expect(selectionFor(widget, ['华东'], '上海')).toEqual([
      { widgetId: 'bar', field: '区域', value: '华东' },
      { widgetId: 'bar', field: '城市', value: '上海' },
    ]);
  });
});
