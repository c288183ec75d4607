// @vitest-environment node
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(() => {
  (globalThis as any).wx = { getSystemInfoSync: () => ({ language: 'zh_CN' }), getStorageSync: () => '' };
});

describe('checkDomain', () => {
  it('accepts https addresses (adding https:// when missing) and refuses http', async () => {
    const { checkDomain } = await import('../src/utils/domain');
    expect(checkDomain('bi.example.com')).toEqual({ ok: true, domain: 'https://bi.example.com' });
    expect(checkDomain(' HTTPS://BI.example.com/ ')).toEqual({ ok: true, domain: 'https://bi.example.com' });
    expect(checkDomain('http://bi.example.com')).toEqual({ ok: false, reason: 'https' });
    expect(checkDomain('https://bi.example.com/path')).toEqual({ ok: false, reason: 'invalid' });
    expect(checkDomain('localhost')).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('recentFirst', () => {
  it('puts recently viewed reports first in viewing order', async () => {
    const { recentFirst } = await import('../src/utils/recent');
    const out = recentFirst([{ id: 'a' }, { id: 'b' }, { id: 'c' }], ['c', 'x', 'a']);
    expect(out.map((r) => `${r.id}${r.recent ? '*' : ''}`)).toEqual(['c*', 'a*', 'b']);
  });
});

describe('filters', () => {
  it('round-trips the share link and reads the sheet back', async () => {
    const f = await import('../src/utils/filters');
    const state = { date: { from: '2025-03-01', to: null }, region: ['华东'], other: null };
    expect(f.decodeFilters(f.encodeFilters(state))).toEqual({ date: { from: '2025-03-01', to: null }, region: ['华东'] });
    expect(f.decodeFilters('%7Bbroken')).toBeNull();
    const defs = [
      { id: 'date', label: '日期', kind: 'date_range' as const, field: 'd' },
      { id: 'region', label: '区域', kind: 'values' as const, field: 'r', default: ['华北'] },
    ];
    const init = f.initialState(defs, null);
    expect(init).toEqual({ date: null, region: ['华北'] });
    const items = f.toSheetItems(defs, init, { region: ['华东', '华北'] });
    expect(items[1]!.options.map((o) => o.selected)).toEqual([false, true]);
    items[0]!.from = '2025-01-01';
    expect(f.fromSheetItems(items)).toEqual({ date: { from: '2025-01-01', to: null }, region: ['华北'] });
  });
});

describe('widget data', () => {
  const result = {
    columns: [
      { key: 'region', label: '区域', type: 'string' },
      { key: 'sum__amount', label: '销售额', type: 'number' },
    ],
    rows: [
      { region: '华东', sum__amount: 1234.5 },
      { region: '华北', sum__amount: null },
    ],
    total: 2,
    cached: false,
  };
  it('turns a query result into chart series, KPI and table cells', async () => {
    const w = await import('../src/utils/widgetData');
    expect(w.toSeries(result as any)).toEqual({ categories: ['华东', '华北'], series: [{ name: '销售额', values: [1234.5, 0] }] });
    expect(w.toKpi(result as any, '¥')).toEqual({ label: '销售额', value: '¥1,234.5' });
    expect(w.toTable(result as any).rows).toEqual([['华东', '1,234.5'], ['华北', '—']]);
    expect(w.watermarkText('张三', 'u_0123456789abcd')).toBe('张三 abcd');
  });
});

describe('chart renderer', () => {
  /** Records the canvas calls, like a 2d context would receive them. */
  function recorder() {
    const calls: string[] = [];
    const ctx: any = new Proxy(
      { fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: '', textBaseline: '' },
      {
        get(target, prop: string) {
          if (prop in target) return (target as any)[prop];
          return (...args: unknown[]) => calls.push(`${prop}(${args.map((a) => (typeof a === 'number' ? Math.round(a) : a)).join(',')})`);
        },
      },
    );
    return { ctx, calls };
  }
  const data = { categories: ['东', '西', '南'], series: [{ name: '销售额', values: [10, 20, 30] }] };

  it('draws one bar per category, growing with the value', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const { ctx, calls } = recorder();
    drawChart(ctx, { width: 300, height: 200 }, 'bar', data);
    const bars = calls.filter((c) => c.startsWith('fillRect(')).map((c) => Number(c.slice(9, -1).split(',')[3]));
    expect(bars).toHaveLength(3);
    expect(bars[0]! < bars[1]! && bars[1]! < bars[2]!).toBe(true);
    expect(calls.some((c) => c.startsWith('fillText(东'))).toBe(true);
  });

  it('draws a line through every point and a pie slice per category with shares', async () => {
    const { drawChart } = await import('../src/utils/charts/index');
    const line = recorder();
    drawChart(line.ctx, { width: 300, height: 200 }, 'line', data);
    expect(line.calls.filter((c) => c.startsWith('lineTo(')).length).toBeGreaterThanOrEqual(2);
    const pie = recorder();
    drawChart(pie.ctx, { width: 300, height: 200 }, 'pie', data, { donut: true });
    expect(pie.calls.filter((c) => c.startsWith('fillText(')).map((c) => c.slice(9, -1).split(',')[0])).toEqual(['东 16.7%', '西 33.3%', '南 50.0%']);
  });
});

describe('a shared view link (drill-down and linkage)', () => {
  const bar = { id: 'bar', kind: 'bar', query: { dimensions: [{ field: '区域' }] }, options: { drillFields: [{ field: '城市' }] } } as any;
  it('reads what the web viewer or a cut link carries, and fits it to the report as it is now', async () => {
    const { decodeViewLink, encodeViewLink } = await import('@shulan/shared/viewLink');
    const { restoreView } = await import('@shulan/shared/interaction');
    // Encoded, or already decoded by the runtime: the same view.
    const link = encodeViewLink({ bar: ['华东'] }, [{ widgetId: 'bar', field: '区域', value: '华东' }, { widgetId: 'bar', field: '城市', value: '上海' }]);
    expect(decodeViewLink(link.drill, link.sel)).toEqual({ drill: { bar: ['华东'] }, sel: { bar: ['华东', '上海'] } });
    expect(decodeViewLink(decodeURIComponent(link.drill), decodeURIComponent(link.sel))).toEqual(decodeViewLink(link.drill, link.sel));
    // The web viewer's `sel` (a list of items) works too; a cut or edited link is dropped, not fatal.
    const web = JSON.stringify([{ widgetId: 'bar', field: '区域', value: '华北' }]);
    expect(decodeViewLink('%7B%22bar', web)).toEqual({ drill: {}, sel: { bar: ['华北'] } });
    // Deeper than the widget drills now, or a widget that is gone: cut to what the report has.
    const view = restoreView([bar], { drill: { bar: ['华东', '上海', '浦东'], gone: ['x'] }, sel: { bar: ['华东', '上海', '浦东'] } });
    expect(view).toEqual({
      drill: { bar: ['华东'] },
      selection: [
        { widgetId: 'bar', field: '区域', value: '华东' },
        { widgetId: 'bar', field: '城市', value: '上海' },
      ],
    });
  });
});
