// Components rendered with miniprogram-simulate: WXML compiled, data bound, events fired.
// They are loaded from a built package, i.e. the very JS that ships, and fed the data the report
// page's own logic makes from server-shaped query results (utils/widgetData, utils/filters).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { QueryResult, ReportFilter } from '@shulan/shared';
import simulate from 'miniprogram-simulate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSheetItems, initialState, toSheetItems } from '../src/utils/filters';
import { toSeries, toTable, watermarkText } from '../src/utils/widgetData';
import { parseRules } from './wxmlLint';

let out: string;
let pkg: string;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-sim-'));
  // The build runs in a child step of its own: esbuild refuses jsdom's TextEncoder.
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['--import', 'tsx', '-e', `import('${path.resolve(__dirname, '../build/buildPackage.ts')}').then(m => m.buildMiniprogram({ appid: 'wx0123456789abcdef', outDir: ${JSON.stringify(out)} }))`]);
  pkg = path.join(out, 'miniprogram');
  (globalThis as any).wx.getSystemInfoSync = () => ({ language: 'zh_CN', pixelRatio: 1 });
});
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const render = (name: string, props: Record<string, unknown> = {}) => {
  const id = simulate.load(path.join(pkg, 'components', name, 'index'), name, { rootPath: pkg });
  const comp = simulate.render(id, props);
  return comp;
};
const attached = (name: string, props: Record<string, unknown> = {}) => {
  const comp = render(name, props);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
};
/** Polls until `pred` holds (simulate delivers events on microtasks), failing after a deadline. */
async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await simulate.sleep(5);
  }
}

/** What the server returns for "sales by region" on a 15-region table widget. */
const regions = ['华东', '华北', '华南', '华中', '西南', '西北', '东北', '港澳', '台湾', '海外一区', '海外二区', '海外三区', '海外四区', '海外五区', '海外六区'];
const salesResult: QueryResult = {
  columns: [
    { key: 'region', label: '区域', type: 'string' },
    { key: 'sum__amount', label: '销售额', type: 'number' },
    { key: 'count', label: '订单数', type: 'integer' },
  ],
  rows: regions.map((region, i) => ({ region, sum__amount: 1234567.891 - i * 50000, count: 1200 + i })),
  total: 42,
  cached: false,
};
/** A profit chart: main business and other income, where other income is a loss in 华东. */
const profitResult: QueryResult = {
  columns: [
    { key: 'region', label: '区域', type: 'string' },
    { key: 'sum__main', label: '主营', type: 'number' },
    { key: 'sum__other', label: '其他', type: 'number' },
  ],
  rows: [
    { region: '华东', sum__main: 120000, sum__other: -40000.5 },
    { region: '华北', sum__main: 80000, sum__other: 30000 },
    { region: '华南', sum__main: 60000, sum__other: 10000 },
  ],
  total: 3,
  cached: false,
};

describe('data-table', () => {
  it('renders the page’s table cells under their headers, ten rows tall, and asks to sort when a header is tapped', async () => {
    const table = toTable(salesResult);
    const comp = attached('data-table', { columns: table.columns, rows: table.rows, total: salesResult.total });
    const text = comp.dom.textContent ?? '';
    expect(text).toContain('区域');
    expect(text).toContain('1,234,567.89');
    expect(text).toContain('15 / 42');
    // Each row shows its cells in column order.
    const rowsDom = comp.querySelectorAll('.tr').slice(1);
    expect(rowsDom).toHaveLength(15);
    expect(Array.from(rowsDom[1]!.dom.children).map((c) => c.textContent!.trim())).toEqual(['华北', '1,184,567.89', '1,201']);
    // A vertical scroll-view only scrolls with a fixed height: ten 69rpx rows here, fewer when fewer.
    expect((comp.querySelector('.body')!.dom as HTMLElement).getAttribute('style')).toMatch(/height: 690r?px/); // simulate turns rpx into px
    comp.setData({ rows: table.rows.slice(0, 3) });
    expect((comp.querySelector('.body')!.dom as HTMLElement).getAttribute('style')).toMatch(/height: 207r?px/);

    const sorts: unknown[] = [];
    comp.addEventListener('sort', (e: any) => sorts.push(e.detail));
    comp.querySelectorAll('.th')[1]!.dispatchEvent('tap');
    await until(() => sorts.length === 1, 'sort');
    expect(sorts).toEqual([{ key: 'sum__amount', dir: 'asc' }]);
    comp.setData({ sortKey: 'sum__amount', sortDir: 'asc' });
    expect(comp.dom.textContent).toContain('↑');
    comp.querySelectorAll('.th')[1]!.dispatchEvent('tap');
    await until(() => sorts.length === 2, 'second sort');
    expect(sorts[1]).toEqual({ key: 'sum__amount', dir: 'desc' });
  });
});

describe('data-table paging', () => {
  const columns = [{ key: 'region', label: '区域', numeric: false }];
  it('offers "load more" while the server has more rows, once at a time, and not after the last row', async () => {
    const comp = render('data-table', { columns, rows: [['华东'], ['华北']], total: 3 });
    const asked: unknown[] = [];
    comp.addEventListener('more', () => asked.push(1));
    expect(comp.dom.textContent).toContain('2 / 3');
    expect(comp.querySelector('.more-btn').dom.textContent).toContain('加载更多');
    comp.querySelector('.more-btn').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(asked).toHaveLength(1);
    comp.setData({ loadingMore: true });
    expect(comp.querySelector('.more-btn').dom.textContent).toContain('加载中');
    comp.querySelector('.more-btn').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(asked).toHaveLength(1);
    comp.setData({ loadingMore: false, rows: [['华东'], ['华北'], ['华南']] });
    expect(comp.dom.textContent).toContain('3 / 3');
    expect(comp.querySelector('.more-btn')).toBeFalsy();
  });
});

describe('watermark', () => {
  it('repeats the viewer text over the page, and shows nothing without text', () => {
    const text = watermarkText('张三', 'u_01HZX3K9A1B2');
    const on = attached('watermark', { text });
    expect(on.dom.querySelectorAll('.watermark--cell').length).toBeGreaterThan(4);
    expect(on.dom.textContent).toContain('张三 A1B2');
    const off = attached('watermark', { text: '' });
    expect(off.dom.querySelectorAll('.watermark--cell').length).toBe(0);
  });
});

describe('filter-sheet', () => {
  const defs: ReportFilter[] = [
    { id: 'date', label: '下单日期', kind: 'date_range', field: 'order_date', default: { from: '2025-01-01', to: null } },
    { id: 'region', label: '区域', kind: 'values', field: 'region' },
  ];
  const sheet = () => toSheetItems(defs, initialState(defs, null), { region: ['华东', '华北', '华南'] });

  it('toggles value chips and hands the chosen values back on apply', async () => {
    const comp = attached('filter-sheet', { show: true, items: sheet() });
    expect(comp.dom.textContent).toContain('2025-01-01');
    expect(comp.dom.textContent).toContain('结束日期');
    comp.querySelectorAll('.value-chip')[1]!.dispatchEvent('tap');
    await until(() => comp.dom.querySelectorAll('.filter-sheet--on').length === 1, 'chip on');
    const applied: any[] = [];
    comp.addEventListener('apply', (e: any) => applied.push(e.detail));
    comp.querySelector('#apply')!.dispatchEvent('tap');
    await until(() => applied.length === 1, 'apply');
    expect(applied[0].items[1].options.map((o: any) => o.selected)).toEqual([false, true, false]);
    expect(applied[0].items[0].from).toBe('2025-01-01');
  });

  it('offers relative dates: a chip replaces the dates, a picked date replaces the chip, and apply sends the preset', async () => {
    const comp = attached('filter-sheet', { show: true, items: sheet() });
    expect(comp.dom.textContent).toContain('本月');
    expect(comp.dom.textContent).toContain('近 7 天');
    expect(comp.dom.textContent).toContain('本年至今');
    comp.querySelector('#preset-date-this_month')!.dispatchEvent('tap');
    await until(() => comp.dom.querySelectorAll('.filter-sheet--on').length === 1, 'preset on');
    expect(comp.dom.textContent).not.toContain('2025-01-01');
    const applied: any[] = [];
    comp.addEventListener('apply', (e: any) => applied.push(e.detail));
    comp.querySelector('#apply')!.dispatchEvent('tap');
    await until(() => applied.length === 1, 'apply');
    expect(fromSheetItems(applied[0].items).date).toEqual({ preset: 'this_month' });
    // Tapping 近 7 天 then 近 7 天 again leaves no relative date.
    comp.querySelector('#preset-date-last_7_days')!.dispatchEvent('tap');
    comp.querySelector('#preset-date-last_7_days')!.dispatchEvent('tap');
    await until(() => comp.dom.querySelectorAll('.filter-sheet--on').length === 0, 'preset off');
    // A saved default that is a preset shows as the chosen chip.
    const withDefault = attached('filter-sheet', { show: true, items: toSheetItems([{ ...defs[0]!, default: { preset: 'ytd' } }], initialState([{ ...defs[0]!, default: { preset: 'ytd' } }], null), {}) });
    expect(withDefault.dom.querySelector('.filter-sheet--on')?.textContent).toBe('本年至今');
  });

  it('the back gesture or back key closes the sheet, not the report (page-container leaves)', async () => {
    const comp = attached('filter-sheet', { show: true, items: sheet() });
    const closed: unknown[] = [];
    comp.addEventListener('close', () => closed.push(1));
    const container = comp.querySelector('#container');
    expect(container).toBeTruthy();
    container!.dispatchEvent('leave');
    await until(() => closed.length === 1, 'close after leave');
    // Once the page has closed it, leaving again (show=false → container animates out) says nothing twice.
    comp.setData({ show: false });
    container!.dispatchEvent('leave');
    await simulate.sleep(20);
    expect(closed).toHaveLength(1);
  });

  it('a swipe on the mask does not reach the page under it; a tap on it closes', async () => {
    const comp = attached('filter-sheet', { show: true, items: sheet() });
    const moves: unknown[] = [];
    const closed: unknown[] = [];
    comp.addEventListener('touchmove', () => moves.push(1));
    comp.addEventListener('close', () => closed.push(1));
    // Control: a touchmove on the sheet itself does bubble out (so the listener works).
    comp.querySelector('.sheet-title')!.dispatchEvent('touchmove', { touches: [{ x: 10, y: 10 }] });
    await until(() => moves.length === 1, 'touchmove from the sheet');
    comp.querySelector('.mask')!.dispatchEvent('touchmove', { touches: [{ x: 10, y: 10 }] });
    await simulate.sleep(20);
    expect(moves).toHaveLength(1);
    comp.querySelector('.mask')!.dispatchEvent('tap');
    await until(() => closed.length === 1, 'close on mask tap');
  });

  it('keeps its buttons clear of the iPhone home indicator', () => {
    const rules = parseRules(fs.readFileSync(path.join(pkg, 'components/filter-sheet/index.wxss'), 'utf8'));
    const sheetRule = rules.find((r) => r.selectors.includes('.sheet'))!;
    expect(sheetRule.body).toMatch(/padding-bottom:\s*calc\([^;]*env\(safe-area-inset-bottom\)\)/);
  });
});

describe('chart', () => {
  /** A `<canvas type="2d">` node whose context records the draw calls (numbers rounded). */
  function canvasNode() {
    const calls: string[] = [];
    const state: Record<string, unknown> = { fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: '', textBaseline: '' };
    const ctx = new Proxy(state, {
      get(target, prop: string) {
        if (prop in target) return target[prop];
        return (...args: unknown[]) => calls.push(`${prop}(${args.map((a) => (typeof a === 'number' ? Math.round(a) : a)).join(',')})`);
      },
    });
    return { calls, node: { width: 0, height: 0, getContext: () => ctx } };
  }
  /** Renders the chart with a canvas node: simulate's selector query has no `node` field. */
  function renderChart(props: Record<string, unknown>) {
    const canvas = canvasNode();
    const comp = render('chart', props);
    const inst = comp.instance as any;
    const realQuery = inst.createSelectorQuery.bind(inst);
    inst.createSelectorQuery = () => {
      const q = realQuery();
      return {
        select: (sel: string) => ({
          fields: (fields: object) => ({
            exec: (cb: (r: unknown[]) => void) =>
              q.select(sel).fields(fields).exec((res: any[]) => cb(res.map((r) => (r ? { ...r, node: canvas.node, width: 320, height: 220, left: 0, top: 0 } : r)))),
          }),
        }),
      };
    };
    comp.attach(document.createElement('parent-wrapper'));
    return { comp, calls: canvas.calls };
  }
  const rects = (calls: string[]) => calls.filter((c) => c.startsWith('fillRect(')).map((c) => c.slice(9, -1).split(',').map(Number));
  const zeroY = (calls: string[]) => Number(calls.find((c) => c.startsWith('fillText(0,'))!.slice(9, -1).split(',')[2]);

  it('draws a stacked loss below the zero line, then on tap shows its value and emits select', async () => {
    const { comp, calls } = renderChart({ kind: 'bar', series: toSeries(profitResult), stacked: true });
    await until(() => calls.some((c) => c.startsWith('fillText(0,')), 'the first drawing');
    const zero = zeroY(calls);
    // Bars are 70% of a category slot; the legend squares are 8px wide.
    const bars = rects(calls).filter((r) => r[2]! > 20);
    expect(bars).toHaveLength(6);
    const [, lossY, , lossH] = bars[1]!; // 华东 其他 (second series of the first category)
    expect(Math.abs(lossY! - zero)).toBeLessThanOrEqual(1);
    expect(lossY! + lossH!).toBeGreaterThan(zero + 10);
    // The axis reaches below zero.
    expect(calls.some((c) => /^fillText\(-\d/.test(c))).toBe(true);

    const picks: any[] = [];
    comp.addEventListener('select', (e: any) => picks.push(e.detail));
    calls.length = 0;
    const [x, y, w, h] = bars[1]!;
    const canvasEl = comp.querySelector('#c')!;
    canvasEl.dispatchEvent('touchstart', { touches: [{ x: x! + w! / 2, y: y! + h! / 2 }] });
    canvasEl.dispatchEvent('touchend', { touches: [], changedTouches: [{ x: x! + w! / 2, y: y! + h! / 2 }] });
    await until(() => picks.length === 1, 'select');
    expect(picks[0]).toEqual({ index: 0, category: '华东', series: '其他', value: -40000.5 });
    // Redrawn with the tooltip on top: the full value, formatted.
    expect(calls.some((c) => c.startsWith('fillText(其他: -40,000.5,'))).toBe(true);
    expect(calls.some((c) => c.startsWith('fillText(华东,') && calls.indexOf(c) > calls.findIndex((d) => d.startsWith('fillText(其他: ')) - 2)).toBe(true);

    // A tap on empty space removes the tooltip and selects nothing.
    calls.length = 0;
    canvasEl.dispatchEvent('touchstart', { touches: [{ x: 318, y: 2 }] });
    canvasEl.dispatchEvent('touchend', { touches: [], changedTouches: [{ x: 318, y: 2 }] });
    await until(() => calls.some((c) => c.startsWith('clearRect(')), 'redraw');
    expect(calls.some((c) => c.startsWith('fillText(其他: '))).toBe(false);
    expect(picks).toHaveLength(1);
  });

  it('a tapped pie slice reports its category and value', async () => {
    const { comp, calls } = renderChart({ kind: 'pie', series: toSeries(salesResult) });
    await until(() => calls.some((c) => c.startsWith('arc(')), 'the pie');
    const picks: any[] = [];
    comp.addEventListener('select', (e: any) => picks.push(e.detail));
    // The first slice starts at 12 o'clock and runs clockwise: just right of the top, inside.
    const arc = calls.find((c) => c.startsWith('arc('))!.slice(4, -1).split(',').map(Number);
    const [cx, cy, r] = arc;
    const canvasEl = comp.querySelector('#c')!;
    canvasEl.dispatchEvent('touchstart', { touches: [{ x: cx! + 3, y: cy! - r! / 2 }] });
    canvasEl.dispatchEvent('touchend', { touches: [], changedTouches: [{ x: cx! + 3, y: cy! - r! / 2 }] });
    await until(() => picks.length === 1, 'select');
    expect(picks[0]).toEqual({ index: 0, category: '华东', series: '销售额', value: 1234567.891 });
  });
});
