import { type ReportDefinition } from '@shulan/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { SAMPLE_REPORT_NAME, seedSampleContent } from '../sample/seedSampleContent.js';

// POST /api/reports/:id/data: a dashboard opens with one request. Each item must be exactly what
// the widget's own data call answers, errors included, without one bad widget sinking the rest.

let t: TestApp;
let editor: Awaited<ReturnType<TestApp['user']>>;
let reportId: string;
let definition: ReportDefinition;

const batch = (headers: Record<string, string>, widgets: { widgetId: string; body: object }[]) =>
  t.call({ method: 'POST', url: `/api/reports/${reportId}/data`, headers, body: { widgets } });
const single = (headers: Record<string, string>, widgetId: string, body: object) =>
  t.call({ method: 'POST', url: `/api/reports/${reportId}/widgets/${widgetId}/data`, headers, body });

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.user('editor');
  await seedSampleContent(t.deps, editor.id);
  reportId = (await t.deps.db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirstOrThrow()).id;
  definition = (await t.call({ method: 'GET', url: `/api/reports/${reportId}`, headers: editor.headers })).json.data.definition;
  // A text widget, and a pie asking exactly what the region bar asks (dashboards often do).
  const bar = definition.widgets.find((w) => w.id === 'amount_by_region')!;
  definition.widgets.push(
    { id: 'note', kind: 'text', title: '说明', layout: { x: 0, y: 40, w: 12, h: 2 }, options: { text: '口径说明' } },
    { ...bar, id: 'region_pie', kind: 'pie', title: '区域占比', layout: { x: 0, y: 42, w: 6, h: 6 } },
  );
  const saved = await t.call({ method: 'PUT', url: `/api/reports/${reportId}`, headers: editor.headers, body: { definition } });
  expect(saved.status, JSON.stringify(saved.json)).toBe(200);
});
afterAll(async () => t?.close());

describe('report data in one call', () => {
  it('answers every widget as its own call does, in the order asked, under the same filters', async () => {
    const body = { filters: { region: ['华东', '华南'] } };
    const ids = definition.widgets.filter((w) => w.kind !== 'text').map((w) => w.id).reverse();
    const res = await batch(editor.headers, ids.map((widgetId) => ({ widgetId, body: widgetId === 'detail' ? { ...body, page: 2, pageSize: 5 } : body })));
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.data.widgets.map((w: { widgetId: string }) => w.widgetId)).toEqual(ids);
    for (const item of res.json.data.widgets) {
      const own = await single(editor.headers, item.widgetId, item.widgetId === 'detail' ? { ...body, page: 2, pageSize: 5 } : body);
      expect(own.status).toBe(200);
      const strip = ({ cached: _c, ...rest }: { cached?: boolean }) => rest;
      expect(strip(item.data), item.widgetId).toEqual(strip(own.json.data));
    }
    const detail = res.json.data.widgets.find((w: { widgetId: string }) => w.widgetId === 'detail').data;
    expect(detail.rows).toHaveLength(5);
    expect(detail.rows.every((r: Record<string, unknown>) => r['区域'] === '华东' || r['区域'] === '华南')).toBe(true);
  });

  it('gives a text widget, an unknown widget and a bad filter their own error; the others still open', async () => {
    const res = await batch({ ...editor.headers, 'accept-language': 'zh-CN' }, [
      { widgetId: 'total_amount', body: {} },
      { widgetId: 'note', body: {} },
      { widgetId: 'nope', body: {} },
      { widgetId: 'order_count', body: { filters: { nope: ['x'] } } },
    ]);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const [ok, text, unknown, badFilter] = res.json.data.widgets;
    expect(ok.data.rows[0]['sum__销售额']).toBeGreaterThan(0);
    expect(text.error).toMatchObject({ status: 400, code: 'validation_error', message: '文本组件没有数据' });
    expect(unknown.error).toMatchObject({ status: 404, code: 'not_found', message: '组件不存在' });
    expect(badFilter.error.status).toBe(400);
    expect(badFilter.error.message).toContain('nope');
  });

  it('refuses a malformed body as a whole, and a viewer not granted the report', async () => {
    const empty = await batch(editor.headers, []);
    expect(empty.status).toBe(400);
    const tooMany = await batch(editor.headers, Array.from({ length: 31 }, () => ({ widgetId: 'total_amount', body: {} })));
    expect(tooMany.status).toBe(400);
    const stranger = await t.user('viewer', 'batch_stranger');
    const denied = await batch(stranger.headers, [{ widgetId: 'total_amount', body: {} }]);
    expect(denied.status).toBe(403);
  });

  it('runs identical widget queries once', async () => {
    const store = await t.deps.connectors.embedded();
    const seen: string[] = [];
    const query = store.query.bind(store);
    store.query = (sqlText, params) => {
      seen.push(sqlText);
      return query(sqlText, params);
    };
    try {
      // A filter value no earlier test used: nothing is cached yet.
      const body = { filters: { region: ['华北'] } };
      const res = await batch(editor.headers, [
        { widgetId: 'amount_by_region', body },
        { widgetId: 'region_pie', body },
      ]);
      expect(res.status).toBe(200);
      const [bar, pie] = res.json.data.widgets;
      expect(pie.data.rows).toEqual(bar.data.rows);
      expect(seen).toHaveLength(1);
    } finally {
      store.query = query;
    }
  });
});
