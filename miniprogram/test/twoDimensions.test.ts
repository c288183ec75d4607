// @vitest-environment node
// A bar or line widget with two dimensions and one measure (区域 × 产品类别 → 销售额) on the phone:
// one series per value of the second dimension along the first, as the web draws it
// (web/src/charts/buildOptions.ts), checked on the series the card is given and on what a tap picks.
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(() => {
  (globalThis as any).wx = { getSystemInfoSync: () => ({ language: 'zh_CN' }), getStorageSync: () => '' };
});

const widget = (kind: string, dimensions: object[], measures: object[], options: object = {}) =>
  ({ id: 'w', kind, title: '销售额', datasetId: 'd', query: { dimensions, measures, filters: [], sort: [], limit: 100, offset: 0 }, layout: { x: 0, y: 0, w: 6, h: 4 }, options }) as any;

const REGION = { field: '区域' };
const CATEGORY = { field: '产品类别' };
const AMOUNT = { field: '销售额', agg: 'sum', label: '销售额' };

/** Rows as the server groups them: 西南 sold no 家具. */
const byRegionAndCategory = {
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
    { 区域: '西南', 产品类别: '食品', sum__销售额: 20 },
  ],
  total: 5,
  cached: false,
};

describe('two dimensions, one measure', () => {
  it('a bar chart shows each region once with one series per product category', async () => {
    const v = await import('../src/utils/widgetView');
    const view = v.resultView(widget('bar', [REGION, CATEGORY], [AMOUNT]), byRegionAndCategory as any);
    expect(view.series).toEqual({
      categories: ['华东', '华北', '西南'],
      series: [
        { name: '家具', values: [300, 50, null] },
        { name: '食品', values: [100, 150, 20] },
      ],
    });
    // A tap on the n-th bar group drills or links by the n-th region, not the n-th row.
    expect(v.rawCategories(widget('bar', [REGION, CATEGORY], [AMOUNT]), byRegionAndCategory as any)).toEqual(['华东', '华北', '西南']);
  });

  it('a line chart draws one line per category, each point at its region', async () => {
    const v = await import('../src/utils/widgetView');
    const { drawChart } = await import('../src/utils/charts/index');
    const view = v.resultView(widget('line', [REGION, CATEGORY], [AMOUNT]), byRegionAndCategory as any);
    const hits = drawChart(recorder(), { width: 320, height: 220 }, 'line', view.series as any);
    expect(hits.filter((h) => h.series === '食品').map((h) => [h.category, h.value])).toEqual([
      ['华东', 100],
      ['华北', 150],
      ['西南', 20],
    ]);
    expect(new Set(hits.map((h) => h.series))).toEqual(new Set(['家具', '食品']));
  });

  it('stacked and 100% bars stack the categories of each region', async () => {
    const v = await import('../src/utils/widgetView');
    const { drawChart } = await import('../src/utils/charts/index');
    const stacked = widget('bar', [REGION, CATEGORY], [AMOUNT], { stacked: true });
    const series = v.resultView(stacked, byRegionAndCategory as any).series as any;
    const heights = (hits: ReturnType<typeof drawChart>) =>
      ['华东', '华北', '西南'].map((c) => hits.filter((h) => h.category === c).reduce((s, h) => s + (h.shape.kind === 'rect' ? h.shape.h : 0), 0));
    // Stacked: 华东 (400) and 华北 (200) reach twice as high as each other; the stack is the region's total.
    const [east, north] = heights(drawChart(recorder(), { width: 320, height: 220 }, 'bar', series, { stacked: true }));
    expect(east! / north!).toBeCloseTo(2, 1);
    // 100%: every region fills to the top; 华东's furniture is 75% of it.
    const percent = widget('bar', [REGION, CATEGORY], [AMOUNT], { percent: true });
    const shares = drawChart(recorder(), { width: 320, height: 220 }, 'bar', v.resultView(percent, byRegionAndCategory as any).series as any, v.chartOptsOf(percent, byRegionAndCategory as any));
    const filled = heights(shares);
    expect(Math.max(...filled) - Math.min(...filled)).toBeLessThan(1.5);
    expect(shares.find((h) => h.category === '华东' && h.series === '家具')!.value).toBeCloseTo(0.75);
  });
});

describe('a region without a value for a category (西南 sold no 家具) is a gap, as on the web', () => {
  const bar = (options: object = {}) => widget('bar', [REGION, CATEGORY], [AMOUNT], options);

  it('grouped, stacked and 100% bars draw nothing there, and a tap on that spot shows no 0', async () => {
    const v = await import('../src/utils/widgetView');
    const { drawChart, hitTest } = await import('../src/utils/charts/index');
    for (const options of [{}, { stacked: true }, { percent: true }]) {
      const w = bar(options);
      const hits = drawChart(recorder(), { width: 320, height: 220 }, 'bar', v.resultView(w, byRegionAndCategory as any).series as any, { ...v.chartOptsOf(w, byRegionAndCategory as any), ...options });
      expect(hits.find((h) => h.category === '西南' && h.series === '家具'), JSON.stringify(options)).toBeUndefined();
      // Where a 0-high furniture bar would sit: on the baseline of 西南's slot (one slot right of 华北's).
      const [east, north] = ['华东', '华北'].map((c) => hits.find((h) => h.category === c && h.series === '家具')!.shape as any);
      const picked = hitTest(hits, north.x + (north.x - east.x) + north.w / 2, north.y + north.h);
      expect(picked?.series ?? '', JSON.stringify(options)).not.toBe('家具');
    }
  });

  it('a line breaks at the gap instead of dropping to 0, with no point there', async () => {
    const v = await import('../src/utils/widgetView');
    const { drawChart } = await import('../src/utils/charts/index');
    const lines = v.resultView(widget('line', [REGION, CATEGORY], [AMOUNT]), byRegionAndCategory as any).series as any;
    const hits = drawChart(recorder(), { width: 320, height: 220 }, 'line', lines);
    expect(hits.filter((h) => h.series === '家具').map((h) => h.category)).toEqual(['华东', '华北']);
    // 家具 missing in the middle: two separate points, no segment through a 0.
    const ctx = recorder();
    const points = drawChart(ctx, { width: 320, height: 220 }, 'line', { categories: ['华东', '华北', '西南'], series: [{ name: '家具', values: [300, null, 20] }] });
    expect(points.map((h) => h.value)).toEqual([300, 20]);
    expect(ctx.segments).toBe(0);
  });
});

describe('a combo split by a second dimension follows the web: the series take their measure\'s axis', () => {
  const combo = (secondaryMeasures: string[]) => widget('combo', [REGION, CATEGORY], [AMOUNT], { secondaryMeasures });

  it('a line measure draws every category as a line on the right axis', async () => {
    const v = await import('../src/utils/widgetView');
    const { drawChart } = await import('../src/utils/charts/index');
    const view = v.resultView(combo(['sum__销售额']), byRegionAndCategory as any);
    expect(view.chartOpts).toEqual({ secondary: ['家具', '食品'] });
    const ctx = recorder();
    const hits = drawChart(ctx, { width: 320, height: 220 }, 'combo', view.series as any, view.chartOpts as any);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.shape.kind === 'point')).toBe(true);
    // Scaled on the right (300 is the top tick there); the empty left scale is not labelled.
    expect(ctx.texts).toContain('300');
    expect(ctx.texts.filter((t: string) => t === '0')).toHaveLength(1);
    expect(hits.find((h) => h.category === '西南' && h.series === '家具')).toBeUndefined();
  });

  it('a bar measure draws every category as bars, with no right axis', async () => {
    const v = await import('../src/utils/widgetView');
    const { drawChart } = await import('../src/utils/charts/index');
    const view = v.resultView(combo([]), byRegionAndCategory as any);
    expect(view.chartOpts).toEqual({});
    const hits = drawChart(recorder(), { width: 320, height: 220 }, 'combo', view.series as any, view.chartOpts as any);
    expect(hits.every((h) => h.shape.kind === 'rect')).toBe(true);
    expect(new Set(hits.map((h) => h.series))).toEqual(new Set(['家具', '食品']));
  });
});

describe('the other shapes stay as they were', () => {
  it('two measures on two dimensions are one series per measure; a pie stays one slice per row', async () => {
    const v = await import('../src/utils/widgetView');
    const twoMeasures = {
      columns: [...byRegionAndCategory.columns, { key: 'sum__销量', label: '销量', type: 'number' }],
      rows: byRegionAndCategory.rows.map((r, i) => ({ ...r, sum__销量: i + 1 })),
      total: 5,
      cached: false,
    };
    const bars = v.resultView(widget('bar', [REGION, CATEGORY], [AMOUNT, { field: '销量', agg: 'sum', label: '销量' }]), twoMeasures as any).series as any;
    expect(bars.series.map((s: any) => s.name)).toEqual(['销售额', '销量']);
    expect(bars.categories).toEqual(['华东', '华北', '西南']);
    const pie = v.resultView(widget('pie', [REGION], [AMOUNT]), { ...byRegionAndCategory, columns: [byRegionAndCategory.columns[0], byRegionAndCategory.columns[2]] } as any).series as any;
    expect(pie.categories).toHaveLength(5);
  });
});

/**
 * A 2d context that draws nothing; it keeps the texts written and counts the segments drawn with
 * a series' line width (2; the grid is thinner), for the tests that read more than the hits.
 */
function recorder(): any {
  const state: Record<string, any> = { fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: '', textBaseline: '', texts: [], segments: 0 };
  state.fillText = (t: string) => state.texts.push(t);
  state.lineTo = () => (state.lineWidth === 2 ? state.segments++ : 0);
  return new Proxy(state, {
    get: (target, prop: string) => (prop in target ? target[prop] : () => ({ width: 10 })),
    set: (target, prop: string, v) => ((target[prop] = v), true),
  });
}
