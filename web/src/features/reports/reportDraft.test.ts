import { describe, expect, it } from 'vitest';
import type { Widget } from '../../api/types';
import { addWidget, applyGrid, defaultQuery, dropField, duplicateWidget, newWidget, record, redo, startHistory, undo } from './reportDraft';

const w = (id: string, x: number, y: number, width: number, height = 4): Widget => ({
  id,
  kind: 'bar',
  title: '',
  datasetId: 'd',
  query: {},
  layout: { x, y, w: width, h: height },
});

const fields = [
  { name: '日期', type: 'date' as const },
  { name: '区域', type: 'string' as const },
  { name: '销售额', type: 'number' as const },
];

describe('defaultQuery', () => {
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

describe('text widgets', () => {
  it('have no dataset and no query', () => {
    const text = newWidget('text', 'd', fields);
    expect(text).not.toHaveProperty('datasetId');
    expect(text).not.toHaveProperty('query');
    expect(text.layout).toMatchObject({ w: 12, h: 1 });
  });
});

describe('fields dropped on slots', () => {
  const empty = { dimensions: [], measures: [], filters: [] };
  it('dates get a month grain, numbers are summed, text is counted, filters start as "not empty"', () => {
    let q = dropField('bar', empty, fields[0]!, 'dimension');
    expect(q.dimensions).toEqual([{ field: '日期', grain: 'month' }]);
    q = dropField('bar', q, fields[2]!, 'measure');
    q = dropField('bar', q, fields[1]!, 'measure');
    expect(q.measures).toEqual([{ field: '销售额', agg: 'sum' }, { field: '区域', agg: 'count' }]);
    q = dropField('bar', q, fields[1]!, 'filter');
    expect(q.filters).toEqual([{ field: '区域', op: 'not_null' }]);
  });

  it('does not add a field twice, stops at two chart dimensions, and a KPI keeps one measure', () => {
    let q = dropField('bar', empty, fields[1]!, 'dimension');
    expect(dropField('bar', q, fields[1]!, 'dimension')).toBe(q);
    q = dropField('bar', q, fields[0]!, 'dimension');
    expect(dropField('bar', q, fields[2]!, 'dimension')).toBe(q);
    expect(dropField('kpi', empty, fields[1]!, 'dimension')).toBe(empty);
    const kpi = dropField('kpi', dropField('kpi', empty, fields[2]!, 'measure'), fields[1]!, 'measure');
    expect(kpi.measures).toEqual([{ field: '区域', agg: 'count' }]);
  });
});

describe('canvas', () => {
  it('adds below everything and duplicates right under the original with a new id', () => {
    const ws = addWidget([w('a', 0, 0, 6, 4), w('b', 6, 0, 6, 2)], w('c', 3, 0, 4));
    expect(ws[2]!.layout).toEqual({ x: 0, y: 4, w: 4, h: 4 });
    const dup = duplicateWidget(ws, 'b');
    expect(dup.widgets.map((x) => x.id).slice(0, 2)).toEqual(['a', 'b']);
    expect(dup.id).not.toBe('b');
    expect(dup.widgets[2]).toMatchObject({ id: dup.id, kind: 'bar', layout: { x: 6, y: 2, w: 6, h: 2 } });
  });

  it('puts a new title on top and moves the rest down by its height', () => {
    const ws = addWidget([w('a', 0, 0, 6, 4), w('b', 6, 0, 6, 2)], newWidget('text', '', []));
    expect(ws[0]).toMatchObject({ kind: 'text', layout: { x: 0, y: 0, w: 12, h: 1 } });
    expect(ws.slice(1).map((x) => x.layout.y)).toEqual([1, 1]);
  });

  it('takes the grid positions, and returns the same list when nothing moved', () => {
    const ws = [w('a', 0, 0, 6), w('b', 6, 0, 6)];
    expect(applyGrid(ws, [{ i: 'a', x: 0, y: 0, w: 6, h: 4 }])).toBe(ws);
    const moved = applyGrid(ws, [{ i: 'b', x: 4, y: 4, w: 8, h: 3 }]);
    expect(moved[1]!.layout).toEqual({ x: 4, y: 4, w: 8, h: 3 });
    expect(moved[0]).toBe(ws[0]);
  });
});

describe('undo history', () => {
  it('undoes and redoes steps; a new change drops the redo branch', () => {
    let h = startHistory(1);
    h = record(h, 2);
    h = record(h, 3);
    h = undo(h);
    expect(h.present).toBe(2);
    h = redo(h);
    expect(h.present).toBe(3);
    h = undo(undo(h));
    expect(h.present).toBe(1);
    expect(undo(h)).toBe(h);
    h = record(h, 5);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('folds typing with the same mark into one step', () => {
    let h = startHistory('');
    h = record(h, '销', 'title:a');
    h = record(h, '销售', 'title:a');
    h = record(h, '销售额', 'title:a');
    h = record(h, '销售额!', 'title:b');
    expect(undo(h).present).toBe('销售额');
    expect(undo(undo(h)).present).toBe('');
  });
});
