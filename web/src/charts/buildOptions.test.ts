import type { QueryResult } from '@shulan/shared';
import { describe, expect, it } from 'vitest';
import { buildBarOption, buildLineOption, buildPieOption, kpiText, kpiValue } from './buildOptions';

const byRegion: QueryResult = {
  columns: [
    { key: '区域', label: '区域', type: 'string' },
    { key: 'sum__销售额', label: '销售额', type: 'number' },
  ],
  rows: [
    { 区域: '华东', sum__销售额: 1200 },
    { 区域: '华北', sum__销售额: 800 },
  ],
  total: 2,
  cached: false,
};

interface Axis { data?: string[] }
interface Series { name: string; data: unknown[]; stack?: string }
const axis = (o: Record<string, unknown>, k: 'xAxis' | 'yAxis') => o[k] as Axis;
const series = (o: Record<string, unknown>) => o.series as Series[];

describe('chart option builders', () => {
  it('puts the dimension on the category axis and one series per measure', () => {
    const o = buildBarOption(byRegion, 1) as Record<string, unknown>;
    expect(axis(o, 'xAxis').data).toEqual(['华东', '华北']);
    expect(series(o)).toMatchObject([{ name: '销售额', data: [1200, 800] }]);
  });

  it('turns a second dimension into series, filling gaps with null', () => {
    const result: QueryResult = {
      columns: [
        { key: '日期__month', label: '日期', type: 'date' },
        { key: '区域', label: '区域', type: 'string' },
        { key: 'count', label: '记录数', type: 'integer' },
      ],
      rows: [
        { 日期__month: '2025-01-01', 区域: '华东', count: 3 },
        { 日期__month: '2025-02-01', 区域: '华东', count: 4 },
        { 日期__month: '2025-02-01', 区域: '华北', count: 1 },
      ],
      total: 3,
      cached: false,
    };
    const o = buildLineOption(result, 2, { stacked: true }) as Record<string, unknown>;
    // Month buckets are shown as months, not as their first day.
    expect(axis(o, 'xAxis').data).toEqual(['2025-01', '2025-02']);
    expect(series(o)).toMatchObject([
      { name: '华东', data: [3, 4], stack: 'total' },
      { name: '华北', data: [null, 1], stack: 'total' },
    ]);
  });

  it('swaps the axes for horizontal bars', () => {
    const o = buildBarOption(byRegion, 1, { horizontal: true }) as Record<string, unknown>;
    expect(axis(o, 'yAxis').data).toEqual(['华东', '华北']);
    expect(axis(o, 'xAxis').data).toBeUndefined();
  });

  it('builds pie slices from the first measure', () => {
    const o = buildPieOption(byRegion, 1) as Record<string, unknown>;
    expect(series(o)[0]!.data).toEqual([
      { name: '华东', value: 1200 },
      { name: '华北', value: 800 },
    ]);
  });

  it('reads the KPI number, parsing numeric strings and treating no rows as no value', () => {
    const one: QueryResult = { columns: [{ key: 'sum__x', label: 'x', type: 'number' }], rows: [{ sum__x: '15.5' }], total: 1, cached: false };
    expect(kpiValue(one)).toBe(15.5);
    expect(kpiValue({ ...one, rows: [] })).toBeNull();
    expect(kpiValue({ ...one, rows: [{ sum__x: null }] })).toBeNull();
  });
});

describe('exact numbers on the KPI card', () => {
  const kpi = (value: string | number, scale?: number) =>
    kpiText({ columns: [{ key: 'sum__price', label: '合计', type: 'number', ...(scale === undefined ? {} : { scale }) }], rows: [{ sum__price: value }], total: 1, cached: false }, 'zh');

  it('shows a DECIMAL sum with its scale and a value beyond 2^53 with every digit', () => {
    expect(kpi(3680.97, 2)).toBe('3,680.97');
    expect(kpi(523.1, 2)).toBe('523.10');
    expect(kpi('12345678901234567890.12', 2)).toBe('12,345,678,901,234,567,890.12');
    expect(kpi('9007199254740993')).toBe('9,007,199,254,740,993');
    // A double without a scale keeps the old rule: at most two decimals.
    expect(kpi(1797021.7499999)).toBe('1,797,021.75');
  });
});
