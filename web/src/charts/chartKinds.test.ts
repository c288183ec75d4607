// Options of the chart kinds beyond bar / line / pie, checked on what the reader would see.
import type { QueryResult } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import { buildChartOption, niceCeil } from './buildOptions';
import { normalizeProvince } from './map/provinces';
import { pivotConfig, total, totalRule } from './pivot/pivotConfig';

type O = Record<string, any>;

const byRegionAndCategory: QueryResult = {
  columns: [
    { key: '区域', label: '区域', type: 'string' },
    { key: '产品类别', label: '产品类别', type: 'string' },
    { key: 'sum__销售额', label: '销售额', type: 'number' },
  ],
  rows: [
    { 区域: '华东', 产品类别: '家具', sum__销售额: 300 },
    { 区域: '华东', 产品类别: '食品', sum__销售额: 100 },
    { 区域: '华北', 产品类别: '家具', sum__销售额: 50 },
    { 区域: '华北', 产品类别: '食品', sum__销售额: 150 },
  ],
  total: 4,
  cached: false,
};

const twoMeasures: QueryResult = {
  columns: [
    { key: '日期__month', label: '日期', type: 'date' },
    { key: 'sum__销售额', label: '销售额', type: 'number' },
    { key: 'sum__销量', label: '销量', type: 'integer' },
  ],
  rows: [
    { 日期__month: '2025-01-01', sum__销售额: 123456, sum__销量: 10 },
    { 日期__month: '2025-02-01', sum__销售额: 234567, sum__销量: 20 },
  ],
  total: 2,
  cached: false,
};

describe('cartesian kinds', () => {
  it('percent stacks turn each category into shares that add up to 100%', () => {
    const o = buildChartOption('bar', { result: byRegionAndCategory, dimensionCount: 2, options: { percent: true } }) as O;
    const [furniture, food] = o.series;
    expect(furniture.data).toEqual([0.75, 0.25]);
    expect(food.data).toEqual([0.25, 0.75]);
    expect(furniture.stack).toBe(food.stack);
    expect(o.yAxis.max).toBe(1);
    expect(o.yAxis.axisLabel.formatter(0.5)).toBe('50%');
    expect(furniture.tooltip.valueFormatter(0.75)).toBe('75.0%');
  });

  it('area is a filled line', () => {
    const o = buildChartOption('area', { result: twoMeasures, dimensionCount: 1 }) as O;
    expect(o.series.map((s: O) => s.type)).toEqual(['line', 'line']);
    expect(o.series[0].areaStyle).toBeDefined();
  });

  it('combo draws the chosen measures as lines on a right axis, the rest as bars', () => {
    const o = buildChartOption('combo', { result: twoMeasures, dimensionCount: 1, options: { secondaryMeasures: ['sum__销量'] } }) as O;
    expect(o.series).toMatchObject([
      { name: '销售额', type: 'bar' },
      { name: '销量', type: 'line', yAxisIndex: 1 },
    ]);
    expect(o.yAxis).toHaveLength(2);
    expect(o.yAxis[1].position).toBe('right');
  });

  it('applies the measure format to tooltips and 万 to long axis numbers', () => {
    const o = buildChartOption('bar', {
      result: twoMeasures,
      dimensionCount: 1,
      options: { formats: { 'sum__销售额': { kind: 'currency', unit: 'wan', decimals: 1 }, '日期__month': { kind: 'date', dateGrain: 'month' } } },
    }) as O;
    expect(o.xAxis.data).toEqual(['2025年1月', '2025年2月']);
    expect(o.series[0].tooltip.valueFormatter(123456)).toBe('¥12.3万');
    expect(o.yAxis.axisLabel.formatter(200000)).toBe('¥20万');
  });

  it('keeps category labels apart: hidden overlaps, rotated when many, long ones cut', () => {
    const many: QueryResult = {
      columns: [
        { key: '城市', label: '城市', type: 'string' },
        { key: 'count', label: '订单数', type: 'integer' },
      ],
      rows: Array.from({ length: 20 }, (_, i) => ({ 城市: `城市名称很长的第${i}个`, count: i })),
      total: 20,
      cached: false,
    };
    const o = buildChartOption('bar', { result: many, dimensionCount: 1, options: { showLabels: true } }) as O;
    expect(o.xAxis.axisLabel).toMatchObject({ hideOverlap: true, rotate: 30, overflow: 'truncate' });
    expect(o.series[0].labelLayout).toEqual({ hideOverlap: true });
    const few = buildChartOption('bar', { result: { ...many, rows: many.rows.slice(0, 3).map((r) => ({ ...r, 城市: '上海' + String(r.count) })) }, dimensionCount: 1 }) as O;
    expect(few.xAxis.axisLabel.rotate).toBe(0);
  });
});

describe('scatter, funnel, gauge, map', () => {
  it('scatter plots the first measure against the second, one point per category', () => {
    const r: QueryResult = {
      columns: [
        { key: '城市', label: '城市', type: 'string' },
        { key: 'sum__销量', label: '销量', type: 'integer' },
        { key: 'sum__销售额', label: '销售额', type: 'number' },
      ],
      rows: [
        { 城市: '上海', sum__销量: 10, sum__销售额: 1000 },
        { 城市: '成都', sum__销量: 4, sum__销售额: 300 },
      ],
      total: 2,
      cached: false,
    };
    const o = buildChartOption('scatter', { result: r, dimensionCount: 1 }) as O;
    expect(o.series[0].data).toEqual([
      { name: '上海', value: [10, 1000] },
      { name: '成都', value: [4, 300] },
    ]);
    expect(o.xAxis.name).toBe('销量');
    expect(o.yAxis.name).toBe('销售额');
    expect(o.tooltip.formatter({ name: '上海', value: [10, 1000] })).toBe('上海<br/>销量: 10<br/>销售额: 1,000');
  });

  it('funnel sorts stages widest first and labels them with formatted values', () => {
    const r: QueryResult = {
      columns: [
        { key: '阶段', label: '阶段', type: 'string' },
        { key: 'count', label: '人数', type: 'integer' },
      ],
      rows: [
        { 阶段: '访问', count: 12000 },
        { 阶段: '下单', count: 3000 },
      ],
      total: 2,
      cached: false,
    };
    const o = buildChartOption('funnel', { result: r, dimensionCount: 1 }) as O;
    expect(o.series[0].sort).toBe('descending');
    expect(o.series[0].label.formatter({ name: '访问', value: 12000 })).toBe('访问 12,000');
  });

  it('gauge scales to gaugeMax, or to a round number above the value', () => {
    const kpi: QueryResult = { columns: [{ key: 'sum__销售额', label: '销售额', type: 'number' }], rows: [{ sum__销售额: 8_300_000 }], total: 1, cached: false };
    expect((buildChartOption('gauge', { result: kpi, options: { gaugeMax: 10_000_000 } }) as O).series[0].max).toBe(10_000_000);
    expect((buildChartOption('gauge', { result: kpi }) as O).series[0].max).toBe(10_000_000);
    expect(niceCeil(120)).toBe(200);
    expect(niceCeil(0)).toBe(100);
  });

  it('map matches 广东省, 广东 and Guangdong to one province and reports the names it cannot place', () => {
    expect(['广东省', '广东', 'Guangdong', '广西壮族自治区', '内蒙古自治区', '北京市', '香港特别行政区'].map(normalizeProvince)).toEqual([
      '广东', '广东', '广东', '广西', '内蒙古', '北京', '香港',
    ]);
    const r: QueryResult = {
      columns: [
        { key: '省份', label: '省份', type: 'string' },
        { key: 'sum__销售额', label: '销售额', type: 'number' },
      ],
      rows: [
        { 省份: '广东省', sum__销售额: 500 },
        { 省份: '浙江', sum__销售额: 300 },
        { 省份: '火星', sum__销售额: 1 },
      ],
      total: 3,
      cached: false,
    };
    const o = buildChartOption('map', { result: r, dimensionCount: 1 }) as O;
    expect(o.series[0].map).toBe('china');
    expect(o.series[0].data).toEqual([
      { name: '广东', value: 500 },
      { name: '浙江', value: 300 },
    ]);
    expect(o.unmatched).toEqual(['火星']);
    expect(o.visualMap.max).toBe(500);
  });
});

describe('pivot', () => {
  it('puts the last dimension across, the others down, and totals sums but not averages', () => {
    const cfg = pivotConfig(byRegionAndCategory, 2, { subtotals: true });
    expect(cfg.fields).toMatchObject({ rows: ['区域'], columns: ['产品类别'], values: ['sum__销售额'] });
    expect(cfg.totals).toEqual({ rowSub: [], colSub: [] });
    expect(cfg.meta.find((m) => m.field === 'sum__销售额')!.formatter(1234.567)).toBe('1,234.57');
    expect(totalRule('sum__销售额')).toBe('sum');
    expect(totalRule('count')).toBe('sum');
    expect(totalRule('max__单价')).toBe('max');
    expect(totalRule('avg__单价')).toBe('none');
    expect(total('sum', [1, 2, 3])).toBe(6);
    expect(total('none', [1, 2])).toBeNaN();
    // Without a second dimension everything is a row.
    expect(pivotConfig(byRegionAndCategory, 2, { pivotColumns: 0 }).fields).toMatchObject({ rows: ['区域', '产品类别'], columns: [] });
  });
});
