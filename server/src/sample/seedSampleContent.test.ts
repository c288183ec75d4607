import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { bootstrap } from '../bootstrap.js';
import { generateSampleSales } from './sampleSales.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ sampleContent: true, adminPassword: 'admin-password-1' });
});
afterAll(async () => t?.close());

describe('sample content on first start', () => {
  it('creates the 销售概览 report once, and every widget returns data for the admin', async () => {
    await bootstrap(t.deps);
    await bootstrap(t.deps);
    const reports = await t.deps.db.selectFrom('reports').selectAll().execute();
    expect(reports.map((r) => r.name)).toEqual(['销售概览']);

    const login = await t.call({ method: 'POST', url: '/api/auth/login', body: { username: 'admin', password: 'admin-password-1', mode: 'token' } });
    const headers = { authorization: `Bearer ${login.json.data.token}` };
    const detail = await t.call({ method: 'GET', url: `/api/reports/${reports[0]!.id}`, headers });
    const widgets: { id: string; kind: string }[] = detail.json.data.definition.widgets;
    expect(widgets.map((w) => w.kind).sort()).toEqual(['bar', 'kpi', 'kpi', 'kpi', 'line', 'table']);
    for (const w of widgets) {
      const res = await t.call({ method: 'POST', url: `/api/reports/${reports[0]!.id}/widgets/${w.id}/data`, headers, body: {} });
      expect(res.status, w.id).toBe(200);
      expect(res.json.data.rows.length, w.id).toBeGreaterThan(0);
    }
    const count = await t.call({ method: 'POST', url: `/api/reports/${reports[0]!.id}/widgets/order_count/data`, headers, body: {} });
    expect(count.json.data.rows[0].count).toBe(generateSampleSales().length);
  });

  it('generates the same rows every time, from 2025-01-01, in a few thousand lines', () => {
    const a = generateSampleSales();
    expect(a).toEqual(generateSampleSales());
    expect(a.length).toBeGreaterThan(2000);
    expect(a.length).toBeLessThan(6000);
    expect(a[0]![0]).toBe('2025-01-01');
    expect(new Set(a.map((r) => r[1]))).toEqual(new Set(['华东', '华南', '华北', '西南', '东北']));
  });
});
