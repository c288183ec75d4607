// Components rendered with miniprogram-simulate: WXML compiled, data bound, events fired.
// They are loaded from a built package, i.e. the very JS that ships.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
};

describe('data-table', () => {
  it('renders headers and cells, and asks to sort when a header is tapped', async () => {
    const comp = render('data-table', {
      columns: [
        { key: 'region', label: '区域', numeric: false },
        { key: 'amount', label: '销售额', numeric: true },
      ],
      rows: [
        ['华东', '1,200'],
        ['华北', '800'],
      ],
      total: 10,
    });
    const text = comp.dom.textContent ?? '';
    expect(text).toContain('区域');
    expect(text).toContain('华北');
    expect(text).toContain('1,200');
    expect(text).toContain('2 / 10');
    const sorts: unknown[] = [];
    comp.addEventListener('sort', (e: any) => sorts.push(e.detail));
    comp.querySelectorAll('.th')[1].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(sorts).toEqual([{ key: 'amount', dir: 'asc' }]);
    comp.setData({ sortKey: 'amount', sortDir: 'asc' });
    expect(comp.dom.textContent).toContain('↑');
    comp.querySelectorAll('.th')[1].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(sorts[1]).toEqual({ key: 'amount', dir: 'desc' });
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
    const on = render('watermark', { text: '张三 a1b2' });
    expect(on.dom.querySelectorAll('.watermark--cell').length).toBeGreaterThan(4);
    expect(on.dom.textContent).toContain('张三 a1b2');
    const off = render('watermark', { text: '' });
    expect(off.dom.querySelectorAll('.watermark--cell').length).toBe(0);
  });
});

describe('filter-sheet', () => {
  it('toggles value chips and hands the chosen values back on apply', async () => {
    const comp = render('filter-sheet', {
      show: true,
      items: [
        { id: 'region', label: '区域', kind: 'values', from: '', to: '', options: [
          { label: '华东', value: '华东', selected: false },
          { label: '华北', value: '华北', selected: false },
        ] },
      ],
    });
    expect(comp.dom.textContent).toContain('区域');
    comp.querySelectorAll('.chip')[1].dispatchEvent('tap');
    await simulate.sleep(0);
    expect(comp.dom.querySelectorAll('.filter-sheet--on').length).toBe(1);
    const applied: any[] = [];
    comp.addEventListener('apply', (e: any) => applied.push(e.detail));
    comp.querySelector('#apply').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(applied[0].items[0].options.map((o: any) => o.selected)).toEqual([false, true]);
  });
});
