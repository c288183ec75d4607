// The home template's favorites tab, rendered with miniprogram-simulate.
import fs from 'node:fs';
import path from 'node:path';
import simulate from 'miniprogram-simulate';
import { beforeAll, describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../src');
let texts: Record<string, string>;

beforeAll(async () => {
  (globalThis as any).wx.getSystemInfoSync = () => ({ language: 'zh_CN' });
  texts = (await import('../src/utils/i18n')).texts();
});

function renderHome(data: Record<string, unknown>, methods: Record<string, (...a: any[]) => void> = {}) {
  const template = fs.readFileSync(path.join(SRC, 'pages', 'home', 'index.wxml'), 'utf8');
  const comp = simulate.render(simulate.load({ template, data: { t: texts, q: '', loading: false, error: '', reports: [], favorites: [], ...data }, methods }));
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

describe('home: favorites tab', () => {
  it('comes first, lists the starred reports with ★, and switches tab on tap', async () => {
    const tabs: string[] = [];
    const comp = renderHome(
      {
        tab: 'favorites',
        favorites: [{ id: 'r1', name: '三月经营', description: null, recent: false }],
        reports: [{ id: 'r2', name: '库存', description: null, recent: false }],
      },
      { onTab(e: any) { tabs.push(e.currentTarget.dataset.tab); } },
    );
    const text = comp.dom.textContent ?? '';
    expect(text.indexOf('收藏')).toBeLessThan(text.indexOf('全部报表'));
    expect(text).toContain('★三月经营');
    expect(text).not.toContain('库存');
    comp.querySelector('#tab-all').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(tabs).toEqual(['all']);
  });

  it('says how to star a report when there are none', () => {
    const comp = renderHome({ tab: 'favorites' });
    expect(comp.dom.textContent).toContain('还没有收藏的报表');
  });

  it('the all tab still lists every report with its recent badge', () => {
    const comp = renderHome({ tab: 'all', favorites: [{ id: 'r1', name: '三月经营', description: null, recent: false }], reports: [{ id: 'r2', name: '库存', description: null, recent: true }] });
    const text = comp.dom.textContent ?? '';
    expect(text).toContain('库存最近查看');
    expect(text).not.toContain('三月经营');
  });
});

function renderReport(data: Record<string, unknown>, methods: Record<string, (...a: any[]) => void> = {}) {
  const template = fs.readFileSync(path.join(SRC, 'pages', 'report', 'index.wxml'), 'utf8');
  // The page's own components are tested on their own; here they are empty stand-ins.
  const stub = () => simulate.load({ template: '<view></view>', properties: {} });
  const usingComponents = { chart: stub(), 'data-table': stub(), 'filter-sheet': stub(), watermark: stub() };
  const base = { id: 'r1', name: '三月经营', error: '', widgets: [], hasFilters: false, activeFilters: 0, sheetOpen: false, sheetItems: [], watermark: '', favorite: false, offlineAt: '' };
  const comp = simulate.render(simulate.load({ template, usingComponents, data: { t: texts, ...base, ...data }, methods }));
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

const kpiWidget = (change: unknown) => ({
  id: 'total', kind: 'kpi', title: '销售额', loading: false, error: '', empty: false, total: 1, stacked: false, donut: false, sortKey: '', sortDir: 'asc',
  kpi: { label: '销售额 合计', value: '¥396,314.99', change },
});

describe('report: ★, KPI change and the offline banner', () => {
  it('shows ☆ / ★ and taps toggle', async () => {
    let taps = 0;
    const off = renderReport({}, { onToggleFavorite() { taps++; } });
    expect(off.querySelector('#favorite').dom.textContent).toBe('☆');
    off.querySelector('#favorite').dispatchEvent('tap');
    await simulate.sleep(0);
    expect(taps).toBe(1);
    expect(renderReport({ favorite: true }).querySelector('#favorite').dom.textContent).toBe('★');
  });

  it('draws the change under the KPI figure in its colour, and nothing without one', async () => {
    const { toKpiChange, CHANGE_COLORS } = await import('../src/utils/kpiChange');
    const change = toKpiChange({ current: 90, previous: 100, changeRatio: -0.1, range: { from: '2025-03-01', to: '2025-03-31' }, previousRange: { from: '2025-01-29', to: '2025-02-28' } }, 'previous_period');
    const comp = renderReport({ widgets: [kpiWidget(change)] });
    const line = comp.querySelector('.kpi-change');
    expect(line.dom.textContent).toBe('▼ 10.0%较上期');
    expect(line.dom.getAttribute('style')).toContain(CHANGE_COLORS.down);
    expect(renderReport({ widgets: [kpiWidget(null)] }).querySelector('.kpi-change')).toBeUndefined();
  });

  it('says the data is offline and when it was fetched', () => {
    const comp = renderReport({ offlineAt: '2026-12-01 09:30', widgets: [kpiWidget(null)] });
    expect(comp.querySelector('#offline').dom.textContent).toBe('离线数据，更新于 2026-12-01 09:30');
    expect(renderReport({}).querySelector('#offline')).toBeUndefined();
  });
});

describe('report: text widgets', () => {
  it('draw a title and a paragraph as plain text, line breaks kept, markup not read', () => {
    const text = (id: string, body: string, textStyle: string) => ({ id, kind: 'text', title: '', loading: false, error: '', empty: false, total: 0, text: body, textStyle });
    const comp = renderReport({ widgets: [text('h', '经营月报', 'title'), text('p', '第一行\n<b>第二行</b>', 'body'), kpiWidget(null)] });
    const title = comp.querySelector('#w-h .text-title');
    expect(title.dom.textContent).toBe('经营月报');
    const para = comp.querySelector('#w-p .text-body');
    expect(para.dom.textContent).toBe('第一行\n<b>第二行</b>');
    expect(para.dom.querySelector('b')).toBeNull();
    // A text card has no widget head (title, ⤢) and no loading hint; the KPI card keeps its own.
    expect(comp.querySelector('#w-h .widget-head')).toBeUndefined();
    expect(comp.querySelector('#w-total .kpi-value').dom.textContent).toBe('¥396,314.99');
  });
});
