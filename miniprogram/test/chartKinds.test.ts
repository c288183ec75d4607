// @vitest-environment node
// The chart kinds beyond bar / line / pie on the phone's canvas renderer, checked on the draw
// calls a canvas would receive, and the table fallback of the web-only kinds.
import { beforeAll, describe, expect, it } from 'vitest';

/** A 2d context that records calls (rounded numbers), as in charts.test.ts. */
function recorder() {
  const calls: string[] = [];
  const state: Record<string, unknown> = { fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: '', textBaseline: '' };
  const ctx: any = new Proxy(state, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      return (...args: unknown[]) => calls.push(`${prop}(${args.map((a) => (typeof a === 'number' ? Math.round(a) : a)).join(',')})`);
    },
    set(target, prop: string, v) {
      target[prop] = v;
      if (prop === 'fillStyle') calls.push(`fillStyle=${v}`);
      return true;
    },
  });
  return { ctx, calls };
}

beforeAll(() => {
  (globalThis as any).wx = { getSystemInfoSync: () => ({ language: 'zh_CN' }), getStorageSync: () => '' };
});

const box = { width: 320, height: 220 };
const rects = (calls: string[]) =>
  calls.filter((c) => c.startsWith('fillRect(')).map((c) => c.slice(9, -1).split(',').map(Number) as [number, number, number, number]);
const texts = (calls: string[]) => calls.filter((c) => c.startsWith('fillText(')).map((c) => c.slice(9).split(',')[0]!);

const regions = {
  categories: ['华东', '华北', '西南'],
  series: [
    { name: '家具', values: [300, 50, 20] },
    { name: '食品', values: [100, 150, 20] },
  ],
};

describe('bars', () => {
  it('horizontal bars run to the right from the category names, longest for the largest value', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx, calls } = recorder();
    const hits = drawChart(ctx, box, 'bar', { categories: regions.categories, series: [regions.series[0]!] }, { horizontal: true });
    const bars = hits.map((h) => (h.shape.kind === 'rect' ? h.shape : null)!);
    // Same left edge (zero), widths by value, stacked top to bottom.
    expect(new Set(bars.map((b) => Math.round(b.x))).size).toBe(1);
    expect(bars[0]!.w).toBeGreaterThan(bars[1]!.w * 5);
    expect(bars[1]!.y).toBeGreaterThan(bars[0]!.y);
    // Category names are drawn left of the bars.
    const label = calls.find((c) => c.startsWith('fillText(华东,'))!;
    expect(Number(label.split(',')[1])).toBeLessThanOrEqual(bars[0]!.x);
  });

  it('percent stacks fill every category to the top, with a 100% axis', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx, calls } = recorder();
    const hits = drawChart(ctx, box, 'bar', regions, { percent: true });
    expect(texts(calls)).toContain('100%');
    // Each category's bars together reach the same height.
    const heights = regions.categories.map((c) => hits.filter((h) => h.category === c).reduce((s, h) => s + (h.shape.kind === 'rect' ? h.shape.h : 0), 0));
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThan(1.5);
    // 华东: furniture is 75%.
    expect(hits.find((h) => h.category === '华东' && h.series === '家具')!.value).toBeCloseTo(0.75);
  });
});

describe('lines', () => {
  it('area fills below the line with a see-through colour', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx, calls } = recorder();
    drawChart(ctx, box, 'area', { categories: ['1月', '2月', '3月'], series: [{ name: '销售额', values: [10, 30, 20] }] });
    expect(calls.some((c) => c.startsWith('fillStyle=rgba(0, 82, 217, 0.2)'))).toBe(true);
    expect(calls.filter((c) => c === 'fill()').length).toBeGreaterThanOrEqual(4); // the area plus three points
  });

  it('combo draws bars on the left scale and the chosen series as a line on its own right scale', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx, calls } = recorder();
    const data = { categories: ['1月', '2月'], series: [{ name: '销售额', values: [120000, 240000] }, { name: '订单数', values: [30, 60] }] };
    const hits = drawChart(ctx, box, 'combo', data, { secondary: ['订单数'] });
    expect(hits.filter((h) => h.series === '销售额').every((h) => h.shape.kind === 'rect')).toBe(true);
    const points = hits.filter((h) => h.series === '订单数');
    expect(points.every((h) => h.shape.kind === 'point')).toBe(true);
    // On its own scale the 60 orders sit near the top, not flat on the axis beside 240,000.
    const top = points[1]!.shape.kind === 'point' ? points[1]!.shape.y : 0;
    expect(top).toBeLessThan(box.height / 2);
    // Both scales are labelled: 万 on the left, plain counts on the right.
    expect(texts(calls)).toEqual(expect.arrayContaining(['20万', '60']));
  });
});

describe('stacked lines, areas and combos (as the web stacks them)', () => {
  const two = { categories: ['1月', '2月'], series: [{ name: '华东', values: [10, 20] }, { name: '华南', values: [30, null] }] };
  const pointY = (h: { shape: { kind: string; y?: number } }) => (h.shape.kind === 'point' ? h.shape.y! : NaN);

  it('a stacked line draws each series on the one before it; a tap reads the series own value', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const stacked = drawChart(recorder().ctx, box, 'line', two, { stacked: true });
    const at = (series: string, index: number) => stacked.find((h) => h.series === series && h.index === index)!;
    // 华东 (the bottom series) gives the scale: its 10 and 20 are where 10 and 20 are.
    const y10 = pointY(at('华东', 0));
    const perTen = pointY(at('华东', 1)) - y10;
    // 华南 in 1月 sits at 10 + 30 = 40 (its own 30 would be at y10 + 2 · perTen).
    expect(pointY(at('华南', 0))).toBeCloseTo(y10 + 3 * perTen, 5);
    expect(at('华南', 0).value).toBe(30);
    // Its missing 2月 stays a gap, and the axis reaches the stacked top (40), not just 30.
    expect(stacked.some((h) => h.series === '华南' && h.index === 1)).toBe(false);
    const { ctx, calls } = recorder();
    drawChart(ctx, box, 'line', two, { stacked: true });
    expect(texts(calls)).toContain('40');
  });

  it('a 100% area stacks the shares up to the top of the chart', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const data = { categories: ['1月', '2月'], series: [{ name: 'A', values: [1, 1] }, { name: 'B', values: [3, 1] }] };
    const hits = drawChart(recorder().ctx, box, 'area', data, { percent: true });
    // B tops the stack at 100% in both months (75% and 50% on their own would differ).
    const b = hits.filter((h) => h.series === 'B');
    expect(pointY(b[0]!)).toBeCloseTo(pointY(b[1]!), 5);
    expect(pointY(b[0]!)).toBeLessThan(pointY(hits.find((h) => h.series === 'A')!));
    expect(b[0]!.value).toBeCloseTo(0.75);
  });

  it('a stacked combo stacks its bars on the left axis in one column per category', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const data = { categories: ['1月'], series: [{ name: '线上', values: [100] }, { name: '线下', values: [300] }, { name: '订单数', values: [5] }] };
    const hits = drawChart(recorder().ctx, box, 'combo', data, { secondary: ['订单数'], stacked: true });
    const rect = (name: string) => {
      const h = hits.find((x) => x.series === name)!;
      return h.shape.kind === 'rect' ? h.shape : { x: NaN, y: NaN, w: NaN, h: NaN };
    };
    // One column: the same x, 线下 sitting on top of 线上.
    expect(rect('线下').x).toBe(rect('线上').x);
    expect(rect('线下').y + rect('线下').h).toBeCloseTo(rect('线上').y, 5);
    expect(hits.find((h) => h.series === '订单数')!.shape.kind).toBe('point');
  });
});

describe('scatter, funnel, gauge', () => {
  it('scatter puts each category at (first series, second series)', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx } = recorder();
    const hits = drawChart(ctx, box, 'scatter', { categories: ['上海', '成都'], series: [{ name: '销量', values: [10, 40] }, { name: '销售额', values: [1000, 300] }] });
    const [sh, cd] = hits.map((h) => (h.shape.kind === 'point' ? h.shape : { x: NaN, y: NaN }));
    expect(cd!.x).toBeGreaterThan(sh!.x); // more units sold → further right
    expect(sh!.y).toBeLessThan(cd!.y); // more sales → higher
    expect(hits[0]!.category).toBe('上海');
  });

  it('funnel draws stages widest first, labelled with the widget format', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx, calls } = recorder();
    const hits = drawChart(ctx, box, 'funnel', { categories: ['下单', '访问', '支付'], series: [{ name: '人数', values: [3000, 12000, 1500] }] }, { format: { kind: 'number', unit: 'wan', decimals: 1 } });
    expect(hits.map((h) => h.category)).toEqual(['访问', '下单', '支付']);
    const widths = hits.map((h) => (h.shape.kind === 'rect' ? h.shape.w : 0));
    expect(widths[0]).toBeGreaterThan(widths[1]!);
    expect(widths[1]).toBeGreaterThan(widths[2]!);
    expect(texts(calls)).toContain('访问 1.2万');
  });

  it('gauge fills its arc to value / max and writes the value', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { gaugeScale } = await import('../src/utils/charts/gauge');
    const { ctx, calls } = recorder();
    const hits = drawChart(ctx, box, 'gauge', { categories: ['1'], series: [{ name: '完成额', values: [750] }] }, { gaugeMax: 1000 });
    const arc = hits[0]!.shape;
    if (arc.kind !== 'slice') throw new Error('gauge hit is an arc');
    expect((arc.end - arc.start) / (Math.PI * 1.5)).toBeCloseTo(0.75);
    expect(texts(calls)).toEqual(expect.arrayContaining(['750', '0', '完成额']));
    expect(calls.some((c) => c.startsWith('fillText(1,000,'))).toBe(true);
    expect(gaugeScale(830)).toBe(1000);
    expect(gaugeScale(120)).toBe(200);
  });
});

describe('web-only kinds on the phone', () => {
  const result = {
    columns: [
      { key: '省份', label: '省份', type: 'string' },
      { key: 'sum__销售额', label: '销售额', type: 'number' },
    ],
    rows: [{ 省份: '广东省', sum__销售额: 123456 }],
    total: 1,
    cached: false,
  };
  const widget = (kind: string, options?: object) => ({ id: 'w', kind, title: '省份', datasetId: 'd', query: { dimensions: [], measures: [], filters: [], sort: [], limit: 10, offset: 0 }, layout: { x: 0, y: 0, w: 6, h: 4 }, options }) as any;

  it('map and pivot become a formatted table; the canvas kinds carry their drawing options', async () => {
    const v = await import('../src/utils/widgetView');
    const map = v.resultView(widget('map', { formats: { 'sum__销售额': { kind: 'currency', unit: 'wan' } } }), result as any);
    expect(map.series).toBeUndefined();
    expect((map.table as any).rows).toEqual([['广东省', '¥12.35万']]);
    expect(v.resultView(widget('pivot'), result as any).table).toBeDefined();
    const combo = v.resultView(widget('combo', { secondaryMeasures: ['sum__销售额'], horizontal: true }), result as any);
    expect(combo.series).toBeDefined();
    expect(combo.chartOpts).toEqual({ horizontal: true, secondary: ['销售额'] });
  });
});

describe('tooltips', () => {
  it('read a 100% stack as shares and other charts in the widget format', async () => {
    const { valueText } = await import('../src/utils/charts/index');
    expect(valueText({ percent: true })(0.753)).toBe('75.3%');
    expect(valueText({ format: { kind: 'currency', unit: 'wan' } })(123456)).toBe('¥12.35万');
    expect(valueText({})(1234.5)).toBe('1,234.5');
  });
});

describe('KPI sparkline on the phone', () => {
  it('turns the server trend into a line drawn edge to edge, rising where the figure rises', async () => {
    const v = await import('../src/utils/widgetView');
    const { drawChart } = await import('../src/utils/charts/index');
    const w = { id: 'k', kind: 'kpi', title: '销售额', datasetId: 'd', query: { dimensions: [], measures: [], filters: [], sort: [], limit: 1, offset: 0 }, layout: { x: 0, y: 0, w: 4, h: 3 }, options: { sparkline: true } } as any;
    const r = {
      columns: [{ key: 'sum__销售额', label: '销售额', type: 'number' }],
      rows: [{ sum__销售额: 60 }],
      total: 1,
      cached: false,
      sparkline: { field: '日期', grain: 'day', points: [{ date: '2025-03-01', value: 10 }, { date: '2025-03-02', value: 20 }, { date: '2025-03-03', value: 30 }] },
    };
    const kpi = v.resultView(w, r as any).kpi as any;
    expect(kpi.spark.series[0].values).toEqual([10, 20, 30]);
    expect(v.resultView({ ...w, options: {} }, r as any).kpi).toMatchObject({ spark: null });
    const { ctx, calls } = recorder();
    drawChart(ctx, { width: 200, height: 36 }, 'sparkline', kpi.spark);
    const line = calls.slice(calls.lastIndexOf('beginPath()', calls.indexOf('stroke()'))).filter((c) => c.startsWith('moveTo(') || c.startsWith('lineTo('));
    const ys = line.map((c) => Number(c.slice(7, -1).split(',')[1]));
    expect(ys[0]).toBeGreaterThan(ys[2]!); // canvas y grows downwards: the last point is highest
    expect(Number(line[0]!.slice(7, -1).split(',')[0])).toBeLessThan(5);
  });
});
