import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { generateSampleSales, SAMPLE_FIELDS } from '../sample/sampleSales.js';
import { seedSampleContent } from '../sample/seedSampleContent.js';

// Drill: the rows behind one bar / point, restricted like the widget itself.
let t: TestApp;
let editor: Awaited<ReturnType<TestApp['user']>>;
let reportId: string;
const SALES = generateSampleSales();

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.user('editor');
  await seedSampleContent(t.deps, editor.id);
  reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', '销售概览').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const drill = (headers: Record<string, string>, widgetId: string, body: object) =>
  t.call({ method: 'POST', url: `/api/reports/${reportId}/widgets/${widgetId}/drill`, headers, body });

/** Every row of a drill, page by page. */
async function allRows(widgetId: string, body: object): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const res = await drill(editor.headers, widgetId, { ...body, page, pageSize: 200 });
    expect(res.status).toBe(200);
    rows.push(...res.json.data.rows);
    if (rows.length >= res.json.data.total) return rows;
  }
}

describe('drill into a chart category', () => {
  it('lists every field of the rows of one region, paged, with the total', async () => {
    const east = SALES.filter((r) => r[1] === '华东');
    const first = await drill(editor.headers, 'amount_by_region', { value: '华东', pageSize: 10 });
    expect(first.status).toBe(200);
    expect(first.json.data.total).toBe(east.length);
    expect(first.json.data.rows).toHaveLength(10);
    expect(first.json.data.columns.map((c: any) => c.key)).toEqual(SAMPLE_FIELDS.map((f) => f.name));
    const rows = await allRows('amount_by_region', { value: '华东' });
    expect(rows).toHaveLength(east.length);
    expect(rows.every((r) => r['区域'] === '华东')).toBe(true);
    // The rows add up to the bar the user tapped.
    const bar = await t.call({ method: 'POST', url: `/api/reports/${reportId}/widgets/amount_by_region/data`, headers: editor.headers, body: {} });
    const tapped = bar.json.data.rows.find((r: any) => r['区域'] === '华东')['sum__销售额'];
    expect(rows.reduce((s, r) => s + Number(r['销售额']), 0)).toBeCloseTo(tapped, 2);
  });

  it('takes a month of a date-grain line as the whole month, and applies the report filters', async () => {
    const march = SALES.filter((r) => String(r[0]).startsWith('2025-03'));
    const rows = await allRows('amount_by_month', { value: '2025-03-01' });
    expect(rows).toHaveLength(march.length);
    expect(rows.every((r) => String(r['日期']).startsWith('2025-03'))).toBe(true);
    const filtered = await drill(editor.headers, 'amount_by_month', {
      value: '2025-03-01',
      filters: { region: ['华南'], date: { from: '2025-03-10', to: null } },
    });
    const want = march.filter((r) => r[1] === '华南' && String(r[0]) >= '2025-03-10').length;
    expect(filtered.json.data.total).toBe(want);
  });

  it('refuses widgets without a category and values that are not a period, with a message', async () => {
    for (const widgetId of ['detail', 'total_amount']) {
      const res = await drill(editor.headers, widgetId, { value: 'x' });
      expect(res.status, widgetId).toBe(400);
      expect(res.json.error.message).toContain('下钻');
    }
    expect((await drill(editor.headers, 'amount_by_month', { value: '2025-02-30' })).status).toBe(400);
    expect((await drill(editor.headers, 'amount_by_region', { value: '华东', filters: { nope: ['x'] } })).status).toBe(400);
    expect((await drill(editor.headers, 'amount_by_region', { value: '华东', pageSize: 5000 })).status).toBe(400);
    expect((await drill(editor.headers, 'no_such_widget', { value: '华东' })).status).toBe(404);
  });

  it('is refused to a viewer without the report and allowed through a grant', async () => {
    const viewer = await t.user('viewer');
    expect((await drill(viewer.headers, 'amount_by_region', { value: '华东' })).status).toBe(403);
    const put = await t.call({ method: 'PUT', url: `/api/reports/${reportId}/grants`, headers: editor.headers, body: { users: [viewer.id], groups: [] } });
    expect(put.status).toBe(200);
    expect((await drill(viewer.headers, 'amount_by_region', { value: '华东' })).status).toBe(200);
  });
});
