import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataWidget } from '@shulan/shared';
import { createTestApp, type TestApp } from '../../test/testApp.js';
import { earlierRange, kpiFigure } from './kpiComparison.js';
import { getReport } from './reportRepo.js';

// KPI change against an earlier period, on an uploaded CSV (DuckDB), with the application
// database on SQLite or PostgreSQL (TEST_DB).

const CSV = [
  '日期,时间,金额',
  '2024-02-29,2024-02-29 12:00:00,7',
  '2024-03-10,2024-03-10 09:00:00,50',
  '2025-01-15,2025-01-15 10:00:00,100',
  '2025-01-31,2025-01-31 23:30:00,20',
  '2025-02-10,2025-02-10 08:00:00,150',
  '2025-02-28,2025-02-28 18:00:00,30',
  '2025-03-05,2025-03-05 11:00:00,80',
].join('\n');

let t: TestApp;
let editor: Record<string, string>;
let datasetId: string;

beforeAll(async () => {
  t = await createTestApp();
  editor = (await t.user('editor')).headers;
  const boundary = '----shulankpi';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="kpi.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(CSV),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const up = await t.app.inject({ method: 'POST', url: '/api/uploads', payload, headers: { ...editor, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  expect(up.statusCode).toBe(200);
  const imported = await t.call({ method: 'POST', url: `/api/uploads/${up.json().data.uploadId}/import`, headers: editor, body: { name: '环比数据' } });
  expect(imported.status).toBe(200);
  datasetId = imported.json.data.datasetId;
});
afterAll(async () => t?.close());

async function report(filterField: string, compare: 'previous_period' | 'previous_year' | undefined, dflt?: object): Promise<string> {
  const res = await t.call({
    method: 'POST',
    url: '/api/reports',
    headers: editor,
    body: {
      name: `KPI ${filterField} ${compare ?? 'none'}`,
      definition: {
        filters: [{ id: 'd', label: '日期', kind: 'date_range', field: filterField, ...(dflt ? { default: dflt } : {}) }],
        widgets: [
          {
            id: 'total',
            kind: 'kpi',
            title: '销售额',
            datasetId,
            query: { measures: [{ field: '金额', agg: 'sum' }] },
            layout: { x: 0, y: 0, w: 4, h: 3 },
            ...(compare ? { options: { compare, prefix: '¥' } } : {}),
          },
        ],
      },
    },
  });
  expect(res.status).toBe(200);
  return res.json.data.id;
}

const kpi = async (reportId: string, filters: object = {}) => {
  const res = await t.call({ method: 'POST', url: `/api/reports/${reportId}/widgets/total/data`, headers: editor, body: { filters } });
  expect(res.status).toBe(200);
  return res.json.data;
};

describe('earlier ranges', () => {
  it('previous period: the same number of days just before; previous year: the same dates, 29 Feb → 28 Feb', () => {
    expect(earlierRange({ from: '2025-02-01', to: '2025-02-28' }, 'previous_period')).toEqual({ from: '2025-01-04', to: '2025-01-31' });
    expect(earlierRange({ from: '2025-01-01', to: '2025-01-07' }, 'previous_period')).toEqual({ from: '2024-12-25', to: '2024-12-31' });
    expect(earlierRange({ from: '2025-03-01', to: '2025-03-01' }, 'previous_period')).toEqual({ from: '2025-02-28', to: '2025-02-28' });
    expect(earlierRange({ from: '2024-03-01', to: '2024-03-31' }, 'previous_period')).toEqual({ from: '2024-01-30', to: '2024-02-29' });
    expect(earlierRange({ from: '2024-02-01', to: '2024-02-29' }, 'previous_year')).toEqual({ from: '2023-02-01', to: '2023-02-28' });
    expect(earlierRange({ from: '2025-03-01', to: '2025-03-31' }, 'previous_year')).toEqual({ from: '2024-03-01', to: '2024-03-31' });
  });
});

describe('KPI comparison on an uploaded dataset', () => {
  it('previous period: February against the 28 days before it', async () => {
    const id = await report('日期', 'previous_period');
    const data = await kpi(id, { d: { from: '2025-02-01', to: '2025-02-28' } });
    expect(data.rows[0]['sum__金额']).toBe(180);
    expect(data.comparison).toEqual({
      current: 180,
      previous: 120,
      changeRatio: 0.5,
      range: { from: '2025-02-01', to: '2025-02-28' },
      previousRange: { from: '2025-01-04', to: '2025-01-31' },
    });
  });

  it('previous year: March 2025 against March 2024, a fall', async () => {
    const id = await report('日期', 'previous_year');
    const data = await kpi(id, { d: { from: '2025-03-01', to: '2025-03-31' } });
    expect(data.comparison).toMatchObject({ current: 80, previous: 50, changeRatio: 0.6 });
    const feb = await kpi(id, { d: { from: '2025-02-01', to: '2025-03-09' } });
    // 2024-02-01..2024-03-09 holds the leap day (7) and 10 March is outside: 7.
    expect(feb.comparison).toMatchObject({ current: 260, previous: 7, previousRange: { from: '2024-02-01', to: '2024-03-09' } });
  });

  it('a datetime field counts the whole last day of the earlier range', async () => {
    const id = await report('时间', 'previous_period');
    const data = await kpi(id, { d: { from: '2025-02-01', to: '2025-02-28' } });
    expect(data.comparison).toMatchObject({ current: 180, previous: 120, changeRatio: 0.5 });
  });

  it('uses the filter default when no value is sent', async () => {
    const id = await report('日期', 'previous_period', { from: '2025-02-01', to: '2025-02-28' });
    expect((await kpi(id)).comparison).toMatchObject({ current: 180, previous: 120 });
    // An explicit "no range" from the viewer overrides the default: nothing to compare.
    expect((await kpi(id, { d: null })).comparison).toBeNull();
  });

  it('is null, with nothing invented, when no closed range is in effect', async () => {
    const id = await report('日期', 'previous_period');
    const all = await kpi(id);
    expect(all.rows[0]['sum__金额']).toBe(437);
    expect(all.comparison).toBeNull();
    expect((await kpi(id, { d: { from: '2025-02-01' } })).comparison).toBeNull();
    expect((await kpi(id, { d: { from: '2025-02-01', to: null } })).comparison).toBeNull();
  });

  it('has no change ratio when the earlier period is empty', async () => {
    const id = await report('日期', 'previous_year');
    const data = await kpi(id, { d: { from: '2025-01-01', to: '2025-01-31' } });
    expect(data.comparison).toMatchObject({ current: 120, previous: null, changeRatio: null });
  });

  it('adds nothing to a KPI that does not ask for a comparison, and still refuses unknown filters', async () => {
    const id = await report('日期', undefined);
    const data = await kpi(id, { d: { from: '2025-02-01', to: '2025-02-28' } });
    expect(data.rows[0]['sum__金额']).toBe(180);
    expect('comparison' in data).toBe(false);
    const bad = await t.call({ method: 'POST', url: `/api/reports/${id}/widgets/total/data`, headers: editor, body: { filters: { nope: null } } });
    expect(bad.status).toBe(400);
  });

  it('is refused on a widget that is not a KPI, or when no date-range filter reaches its dataset', async () => {
    const kpiWidget = { id: 'k', kind: 'kpi', title: '销售额', datasetId, query: { measures: [{ field: '金额', agg: 'sum' }] }, layout: { x: 0, y: 0, w: 4, h: 3 }, options: { compare: 'previous_period' } };
    const save = (definition: object) => t.call({ method: 'POST', url: '/api/reports', headers: editor, body: { name: '坏的对比', definition } });
    const noFilter = await save({ filters: [], widgets: [kpiWidget] });
    expect(noFilter.status).toBe(400);
    expect(noFilter.json.error.message).toContain('日期范围筛选');
    const bar = await save({
      filters: [{ id: 'd', label: '日期', kind: 'date_range', field: '日期' }],
      widgets: [{ ...kpiWidget, kind: 'bar', query: { dimensions: [{ field: '日期' }], measures: [{ field: '金额', agg: 'sum' }] } }],
    });
    expect(bar.status).toBe(400);
    expect(bar.json.error.message).toContain('只有指标卡');
  });

  it('is computed outside the HTTP route too (report cards reuse it)', async () => {
    const id = await report('日期', 'previous_period');
    const r = await getReport(t.deps.db, id);
    const fig = await kpiFigure(t.deps, r, r.definition.widgets[0] as DataWidget, { d: { from: '2025-02-01', to: '2025-02-28' } }, null);
    expect(fig.value).toBe(180);
    expect(fig.comparison?.changeRatio).toBe(0.5);
  });
});
