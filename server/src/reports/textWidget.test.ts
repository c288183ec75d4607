import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { seedSampleContent } from '../sample/seedSampleContent.js';
import { buildCard } from '../wecom/subscriptions/card.js';
import { getReport } from './reportRepo.js';

// Text / title widgets: no dataset, no query, no data call; everything that walks a report's
// widgets (validation, filter values, report cards) leaves them out.

let t: TestApp;
let editor: Awaited<ReturnType<TestApp['user']>>;
let datasetId: string;

beforeAll(async () => {
  t = await createTestApp();
  editor = await t.user('editor');
  await seedSampleContent(t.deps, editor.id);
  datasetId = (await t.deps.db.selectFrom('datasets').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const title = { id: 'heading', kind: 'text', title: '', layout: { x: 0, y: 0, w: 12, h: 1 }, options: { text: '华东区 <b>月报</b>\n第二行', textStyle: 'title' } };
const kpi = () => ({ id: 'total', kind: 'kpi', title: '总销售额', datasetId, query: { measures: [{ field: '销售额', agg: 'sum' }] }, layout: { x: 0, y: 1, w: 4, h: 2 } });

const save = (widgets: object[], filters: object[] = []) =>
  t.call({ method: 'POST', url: '/api/reports', headers: editor.headers, body: { name: '带标题的报表', definition: { widgets, filters } } });

describe('text widgets', () => {
  it('are saved without a dataset and come back as written, markup kept as plain text', async () => {
    const res = await save([title, kpi()]);
    expect(res.status).toBe(200);
    const got = await t.call({ method: 'GET', url: `/api/reports/${res.json.data.id}`, headers: editor.headers });
    const w = got.json.data.definition.widgets[0];
    expect(w).toMatchObject({ kind: 'text', options: { text: '华东区 <b>月报</b>\n第二行', textStyle: 'title' } });
    expect(w.datasetId).toBeUndefined();
    expect(w.query).toBeUndefined();
  });

  it('refuse a dataset or a query, and data widgets still need both', async () => {
    const withDataset = await save([{ ...title, datasetId }]);
    expect(withDataset.status).toBe(400);
    expect(JSON.stringify(withDataset.json.error)).toContain('datasetId');
    const noDataset = await save([{ ...kpi(), datasetId: undefined }]);
    expect(noDataset.status).toBe(400);
    expect(JSON.stringify(noDataset.json.error)).toContain('datasetId');
    const noQuery = await save([{ ...kpi(), query: undefined }]);
    expect(noQuery.status).toBe(400);
    const tooLong = await save([{ ...title, options: { text: '字'.repeat(2001) } }]);
    expect(tooLong.status).toBe(400);
    expect((await save([{ ...title, options: { text: '字'.repeat(2000) } }])).status).toBe(200);
  });

  it('have no data: the data and export calls answer a clear 400 in Chinese and English', async () => {
    const id = (await save([title, kpi()])).json.data.id;
    const data = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/heading/data`, headers: editor.headers, body: {} });
    expect(data.status).toBe(400);
    expect(data.json.error.message).toBe('文本组件没有数据');
    const en = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/heading/data`, headers: { ...editor.headers, 'accept-language': 'en' }, body: {} });
    expect(en.json.error.message).toBe('A text widget has no data');
    const csv = await t.call({ method: 'GET', url: `/api/reports/${id}/widgets/heading/export.csv`, headers: editor.headers });
    expect(csv.status).toBe(400);
    const drill = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/heading/drill`, headers: editor.headers, body: { value: 'x' } });
    expect(drill.status).toBe(400);
    // The KPI beside it still answers.
    const total = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/total/data`, headers: editor.headers, body: {} });
    expect(total.status).toBe(200);
    expect(total.json.data.rows[0].sum__销售额).toBeGreaterThan(0);
  });

  it('are left out of filter value lists and report cards', async () => {
    const id = (await save([title, kpi()], [{ id: 'region', label: '区域', kind: 'values', field: '区域' }])).json.data.id;
    const values = await t.call({ method: 'GET', url: `/api/reports/${id}/filters/region/values`, headers: editor.headers });
    expect(values.status).toBe(200);
    expect(values.json.data.values.length).toBeGreaterThan(0);
    const card = await buildCard(t.deps, await getReport(t.deps.db, id), { title: null, filters: {} }, new Date(), null);
    // One figure, the KPI's (the title block is not a figure), then the filter line.
    expect(card.items[0]!.key).toBe('总销售额');
    expect(card.items[0]!.value).toMatch(/\d/);
    expect(card.items.filter((i) => i.key === '总销售额')).toHaveLength(1);
    expect(card.items.some((i) => i.value.includes('月报'))).toBe(false);
  });
});
