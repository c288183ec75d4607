// @vitest-environment node
// KPI change line and the offline cache's limits and ownership (storage of the `wx` double).
import type { ReportDetail, WidgetData } from '@shulan/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { createWxDouble, type WxDouble } from './wxDouble';

let d: WxDouble;
beforeEach(() => {
  d = createWxDouble({ hosts: {} });
  (globalThis as any).wx = d.wx;
});

const comparison = (changeRatio: number | null) => ({
  current: 1,
  previous: 1,
  changeRatio,
  range: { from: '2025-02-01', to: '2025-02-28' },
  previousRange: { from: '2025-01-04', to: '2025-01-31' },
});

describe('KPI change', () => {
  it('rise red ▲, fall green ▼ (Chinese convention), flat and unknown grey, none without a comparison', async () => {
    const { toKpiChange, CHANGE_COLORS } = await import('../src/utils/kpiChange');
    expect(CHANGE_COLORS.up).not.toBe(CHANGE_COLORS.down);
    expect(toKpiChange(comparison(0.125), 'previous_period')).toEqual({ text: '▲ 12.5%', color: CHANGE_COLORS.up, caption: '较上期' });
    expect(toKpiChange(comparison(-0.5), 'previous_year')).toEqual({ text: '▼ 50.0%', color: CHANGE_COLORS.down, caption: '较去年同期' });
    expect(toKpiChange(comparison(2.345), 'previous_period')?.text).toBe('▲ 235%');
    expect(toKpiChange(comparison(0.00001), 'previous_period')).toMatchObject({ text: '0.0%', color: CHANGE_COLORS.flat });
    expect(toKpiChange(comparison(null), 'previous_period')).toMatchObject({ text: '—', color: CHANGE_COLORS.flat });
    expect(toKpiChange(null, 'previous_period')).toBeNull();
    expect(toKpiChange(comparison(0.1), undefined)).toBeNull();
  });
});

const report = (id: string): ReportDetail =>
  ({ id, name: `报表${id}`, description: null, widgetCount: 1, createdBy: null, createdAt: '', updatedAt: '', canEdit: false, definition: { widgets: [], filters: [] } }) as ReportDetail;
const rows = (n: number, text = 'x'): WidgetData => ({
  columns: [{ key: 'a', label: 'A', type: 'string' }],
  rows: Array.from({ length: n }, (_, i) => ({ a: `${text}${i}` })),
  total: n,
  cached: false,
});

describe('offline cache', () => {
  it('gives a snapshot back only to the user who saved it, and empties on logout', async () => {
    const c = await import('../src/utils/offlineCache');
    const { storage } = await import('../src/utils/storage');
    c.saveSnapshot({ owner: 'u1', savedAt: '2026-12-01T01:30:00.000Z', report: report('r1'), filters: {}, widgets: { w: rows(3) } });
    expect(c.loadSnapshot('u1', 'r1')?.widgets.w?.rows).toHaveLength(3);
    expect(c.loadSnapshot('u2', 'r1')).toBeNull();
    expect(c.loadSnapshot('u1', 'r2')).toBeNull();
    storage.clearSession();
    expect(c.loadSnapshot('u1', 'r1')).toBeNull();
    expect([...d.storage.keys()].filter((k) => k.startsWith('shulan.offline'))).toEqual([]);
  });

  it('is dropped when another user logs in on the same phone', async () => {
    const c = await import('../src/utils/offlineCache');
    const { storage } = await import('../src/utils/storage');
    storage.setSession('t1', { id: 'u1' } as never);
    c.saveSnapshot({ owner: 'u1', savedAt: '2026-12-01T01:30:00.000Z', report: report('r1'), filters: {}, widgets: {} });
    storage.setSession('t1b', { id: 'u1' } as never); // the same user again keeps it
    expect(c.loadSnapshot('u1', 'r1')).not.toBeNull();
    storage.setSession('t2', { id: 'u2' } as never);
    expect(c.loadSnapshot('u1', 'r1')).toBeNull();
    expect([...d.storage.keys()].filter((k) => k.startsWith('shulan.offline'))).toEqual([]);
  });

  it('stays well under WeChat limits: long tables cut, oversized reports skipped, oldest dropped', async () => {
    const c = await import('../src/utils/offlineCache');
    c.saveSnapshot({ owner: 'u1', savedAt: '2026-12-01T00:00:00.000Z', report: report('big'), filters: {}, widgets: { t: rows(5000) } });
    expect(c.loadSnapshot('u1', 'big')?.widgets.t?.rows).toHaveLength(c.OFFLINE_LIMITS.tableRows);
    // One report over the per-report cap (about 300 KB of Chinese text in 100 rows) is not kept.
    c.saveSnapshot({ owner: 'u1', savedAt: '2026-12-01T00:00:00.000Z', report: report('huge'), filters: {}, widgets: { t: rows(100, '数'.repeat(1000)) } });
    expect(c.loadSnapshot('u1', 'huge')).toBeNull();
    for (let i = 0; i < c.OFFLINE_LIMITS.reports + 5; i++) {
      c.saveSnapshot({ owner: 'u1', savedAt: '2026-12-01T00:00:00.000Z', report: report(`r${i}`), filters: {}, widgets: { t: rows(100, '数'.repeat(200)) } });
    }
    const bytes = [...d.storage.entries()].filter(([k]) => k.startsWith('shulan.offline')).map(([, v]) => c.utf8Length(JSON.stringify(v)));
    expect(Math.max(...bytes)).toBeLessThanOrEqual(c.OFFLINE_LIMITS.entryBytes);
    expect(bytes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(c.OFFLINE_LIMITS.totalBytes + 64 * 1024);
    expect(c.OFFLINE_LIMITS.totalBytes).toBeLessThan(10 * 1024 * 1024 / 4);
    // The newest is kept, the oldest went first.
    expect(c.loadSnapshot('u1', `r${c.OFFLINE_LIMITS.reports + 4}`)).not.toBeNull();
    expect(c.loadSnapshot('u1', 'r0')).toBeNull();
    expect(c.loadSnapshot('u1', 'big')).toBeNull();
  });

  it('counts UTF-8 bytes as WeChat does and formats the time without toLocaleString', async () => {
    const c = await import('../src/utils/offlineCache');
    expect(c.utf8Length('a数😀')).toBe(1 + 3 + 4);
    expect(c.formatSavedAt('2026-12-01T09:05:00')).toBe('2026-12-01 09:05');
    expect(c.isNetworkFailure({ code: 'network_down' })).toBe(true);
    expect(c.isNetworkFailure({ code: 'forbidden' })).toBe(false);
  });
});
