import type { Field } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import type { Widget } from '../../api/types';
import { changeWidgetKind } from './changeWidgetKind';

const fields: Field[] = [
  { name: '日期', type: 'date' },
  { name: '区域', type: 'string' },
  { name: '销售额', type: 'number' },
  { name: '利润', type: 'number' },
];

/** A bar chart someone has worked on: labels, formats, sort, limit, stacking, a custom size. */
const bar: Widget = {
  id: 'w_1',
  kind: 'bar',
  title: '各区域销售额',
  datasetId: 'ds_1',
  query: {
    dimensions: [{ field: '日期', grain: 'month' }, { field: '区域' }],
    measures: [{ field: '销售额', agg: 'sum', label: '销售额（元）' }, { field: '利润', agg: 'sum' }],
    filters: [{ field: '区域', op: 'eq', value: '华东' }],
    sort: [{ key: 'sum__销售额', dir: 'desc' }],
    limit: 50,
  },
  layout: { x: 0, y: 0, w: 8, h: 5 },
  options: {
    stacked: true,
    horizontal: true,
    showLabels: true,
    linkage: false,
    drillFields: [{ field: '日期', grain: 'day' }],
    formats: { 'sum__销售额': { kind: 'currency', decimals: 0 }, '日期__month': { kind: 'date', dateGrain: 'month' } },
  },
};

describe('changeWidgetKind', () => {
  it('bar → line keeps the query, title, formats, stacking and labels; drops what a line has not (horizontal)', () => {
    const line = changeWidgetKind(bar, 'line', fields, 'ds_x');
    expect(line).toMatchObject({ kind: 'line', title: '各区域销售额', datasetId: 'ds_1', query: bar.query, layout: bar.layout });
    expect(line.options).toEqual({
      stacked: true,
      showLabels: true,
      linkage: false,
      drillFields: [{ field: '日期', grain: 'day' }],
      formats: bar.options!.formats,
    });
  });

  it('bar → line → table → bar keeps formats, sort, limit, labels and filters all the way round', () => {
    const back = changeWidgetKind(changeWidgetKind(changeWidgetKind(bar, 'line', fields, 'd'), 'table', fields, 'd'), 'bar', fields, 'd');
    expect(back.query).toEqual(bar.query);
    expect(back.options?.formats).toEqual(bar.options!.formats);
    expect(back.title).toBe(bar.title);
    // The table shows an aggregated table of the same query, not a list of raw rows.
    const table = changeWidgetKind(bar, 'table', fields, 'd');
    expect(table.query).not.toHaveProperty('columns');
    expect(table.options).toEqual({ linkage: false, formats: bar.options!.formats });
  });

  it('a KPI card keeps one measure, no dimension, and only the formats of what it still shows', () => {
    const kpi = changeWidgetKind(bar, 'kpi', fields, 'd');
    expect(kpi.query).toMatchObject({ dimensions: [], measures: [{ field: '销售额', agg: 'sum', label: '销售额（元）' }], filters: bar.query!.filters, limit: 1 });
    expect(kpi.query!.sort).toEqual([{ key: 'sum__销售额', dir: 'desc' }]);
    expect(kpi.options).toEqual({ formats: { 'sum__销售额': { kind: 'currency', decimals: 0 } } });
  });

  it('a KPI card turned into a chart gets a category to draw along and a chart-sized limit', () => {
    const kpi: Widget = { id: 'k', kind: 'kpi', title: '', datasetId: 'd', layout: { x: 0, y: 0, w: 4, h: 2 },
      query: { dimensions: [], measures: [{ field: '利润', agg: 'sum' }], filters: [], sort: [], limit: 1 }, options: { prefix: '¥', formats: { 'sum__利润': { kind: 'number', decimals: 2 } } } };
    const pie = changeWidgetKind(kpi, 'pie', fields, 'd');
    expect(pie.query).toMatchObject({ dimensions: [{ field: '区域' }], measures: [{ field: '利润', agg: 'sum' }], limit: 20 });
    expect(pie.options).toEqual({ formats: { 'sum__利润': { kind: 'number', decimals: 2 } } });
    // Still at the KPI's default size: it takes the pie's.
    expect(pie.layout).toMatchObject({ w: 6, h: 4 });
  });

  it('a detail table turned into a chart groups by its text columns and sums its numbers, formats following', () => {
    const detail: Widget = { id: 't', kind: 'table', title: '明细', datasetId: 'd', layout: { x: 0, y: 0, w: 12, h: 5 },
      query: { dimensions: [], measures: [], columns: ['区域', '销售额'], filters: [], sort: [{ key: '销售额', dir: 'asc' }], limit: 1000 },
      options: { pageSize: 50, formats: { '销售额': { kind: 'currency' } } } };
    const chart = changeWidgetKind(detail, 'bar', fields, 'd');
    expect(chart.query).toEqual({ dimensions: [{ field: '区域' }], measures: [{ field: '销售额', agg: 'sum' }], filters: [], sort: [{ key: 'sum__销售额', dir: 'asc' }], limit: 1000 });
    expect(chart.options).toEqual({ formats: { 'sum__销售额': { kind: 'currency' } } });
  });

  it('a scatter gets its second measure; a combo turned into a line loses its right-hand axis, keeps its curve', () => {
    const one = changeWidgetKind({ ...bar, query: { ...bar.query, measures: [{ field: '销售额', agg: 'sum' }] } }, 'scatter', fields, 'd');
    expect(one.query!.measures).toEqual([{ field: '销售额', agg: 'sum' }, { field: '利润', agg: 'sum' }]);
    const line = changeWidgetKind({ ...bar, kind: 'combo', options: { secondaryMeasures: ['sum__利润'], smooth: true } }, 'line', fields, 'd');
    expect(line.options).toEqual({ smooth: true });
  });

  it('text has neither dataset nor query; a text block turned into a chart starts on the fallback dataset', () => {
    const text = changeWidgetKind(bar, 'text', fields, 'd');
    expect(text).not.toHaveProperty('datasetId');
    expect(text).not.toHaveProperty('query');
    expect(text.options).toEqual({ text: '', textStyle: 'title' });
    const back = changeWidgetKind(text, 'bar', fields, 'd2');
    expect(back).toMatchObject({ datasetId: 'd2', query: { dimensions: [{ field: '区域' }], measures: [{ field: '销售额', agg: 'sum' }] } });
    expect(back).not.toHaveProperty('options');
  });
});
