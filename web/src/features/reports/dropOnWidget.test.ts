import type { Field } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import type { Widget } from '../../api/types';
import { dropFieldOnWidget } from './dropOnWidget';

const 区域: Field = { name: '区域', type: 'string' };
const 日期: Field = { name: '日期', type: 'date' };
const 销售额: Field = { name: '销售额', type: 'number' };
const 利润率: Field = { name: '利润率', type: 'number', calculated: true, aggregate: true };

const widget = (kind: Widget['kind'], query: Widget['query']): Widget => ({ id: 'w', kind, title: '', datasetId: 'ds', query, layout: { x: 0, y: 0, w: 6, h: 4 } });
const bar = widget('bar', { dimensions: [{ field: '区域' }], measures: [{ agg: 'count' }], filters: [] });

describe('dropFieldOnWidget', () => {
  it('adds numbers as summed measures and text or dates as dimensions, keeping the rest of the query', () => {
    const sales = dropFieldOnWidget(bar, 销售额, 'ds');
    expect(sales).toEqual({ widget: { ...bar, query: { ...bar.query, measures: [{ agg: 'count' }, { field: '销售额', agg: 'sum' }] } } });
    const byMonth = dropFieldOnWidget(bar, 日期, 'ds');
    expect('widget' in byMonth && byMonth.widget.query!.dimensions).toEqual([{ field: '区域' }, { field: '日期', grain: 'month' }]);
    const ratio = dropFieldOnWidget(bar, 利润率, 'ds');
    expect('widget' in ratio && ratio.widget.query!.measures).toContainEqual({ field: '利润率', agg: 'calc' });
  });

  it('adds any field to a detail table as a column', () => {
    const table = widget('table', { columns: ['区域'], dimensions: [], measures: [] });
    const r = dropFieldOnWidget(table, 销售额, 'ds');
    expect('widget' in r && r.widget.query!.columns).toEqual(['区域', '销售额']);
  });

  it('refuses a field of another dataset, a text block, a field already there and a dimension on a KPI card', () => {
    expect(dropFieldOnWidget(bar, 销售额, 'other')).toEqual({ refused: 'otherDataset' });
    expect(dropFieldOnWidget({ id: 't', kind: 'text', title: '', layout: bar.layout, options: { text: '' } }, 区域, 'ds')).toEqual({ refused: 'notData' });
    expect(dropFieldOnWidget(bar, 区域, 'ds')).toEqual({ refused: 'noRoom' });
    expect(dropFieldOnWidget(widget('kpi', { dimensions: [], measures: [{ agg: 'count' }] }), 区域, 'ds')).toEqual({ refused: 'noRoom' });
  });
});
