import { EMBEDDED_DATASOURCE_ID, ReportDefinitionSchema, type ReportDefinitionInput } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { newId, nowIso } from '../lib/ids.js';
import { insertReport } from '../reports/reportRepo.js';
import { SAMPLE_FIELDS, generateSampleSales } from './sampleSales.js';

export const SAMPLE_TABLE = 'sample_sales';
export const SAMPLE_DATASET_NAME = '示例：销售数据';
export const SAMPLE_REPORT_NAME = '销售概览';

/**
 * Creates the sample sales table, its dataset and the report “销售概览”, so a new install has
 * something to look at. Idempotent: each piece is only created when missing.
 */
export async function seedSampleContent(deps: Deps, adminId: string): Promise<void> {
  const { db } = deps;
  const now = nowIso();

  const table = await db.selectFrom('embedded_tables').select('id').where('table_name', '=', SAMPLE_TABLE).executeTakeFirst();
  if (!table) {
    const store = await deps.connectors.embedded();
    const rowCount = await store.replaceTable(SAMPLE_TABLE, SAMPLE_FIELDS, generateSampleSales());
    await db
      .insertInto('embedded_tables')
      .values({
        id: newId(),
        datasource_id: EMBEDDED_DATASOURCE_ID,
        table_name: SAMPLE_TABLE,
        display_name: '示例销售数据',
        source_file: null,
        row_count: rowCount,
        fields_json: JSON.stringify(SAMPLE_FIELDS),
        created_by: adminId,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  let dataset = await db
    .selectFrom('datasets')
    .select('id')
    .where('datasource_id', '=', EMBEDDED_DATASOURCE_ID)
    .where('table_name', '=', SAMPLE_TABLE)
    .executeTakeFirst();
  if (!dataset) {
    dataset = { id: newId() };
    await db
      .insertInto('datasets')
      .values({
        id: dataset.id,
        name: SAMPLE_DATASET_NAME,
        datasource_id: EMBEDDED_DATASOURCE_ID,
        kind: 'table',
        table_name: SAMPLE_TABLE,
        sql: null,
        fields_json: JSON.stringify(SAMPLE_FIELDS),
        created_by: adminId,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  const report = await db.selectFrom('reports').select('id').where('name', '=', SAMPLE_REPORT_NAME).executeTakeFirst();
  if (!report) {
    await insertReport(db, {
      name: SAMPLE_REPORT_NAME,
      description: '示例报表：按区域、按月的销售额与明细。可以复制后改成自己的报表。',
      definition: ReportDefinitionSchema.parse(sampleDefinition(dataset.id)),
      createdBy: adminId,
    });
  }
}

function sampleDefinition(datasetId: string): ReportDefinitionInput {
  return {
    filters: [
      { id: 'date', label: '日期', kind: 'date_range', field: '日期' },
      { id: 'region', label: '区域', kind: 'values', field: '区域' },
    ],
    widgets: [
      {
        id: 'total_amount',
        kind: 'kpi',
        title: '总销售额',
        datasetId,
        query: { measures: [{ field: '销售额', agg: 'sum', label: '总销售额' }] },
        layout: { x: 0, y: 0, w: 4, h: 3 },
        options: { prefix: '¥' },
      },
      {
        id: 'total_quantity',
        kind: 'kpi',
        title: '总销量',
        datasetId,
        query: { measures: [{ field: '销量', agg: 'sum', label: '总销量' }] },
        layout: { x: 4, y: 0, w: 4, h: 3 },
        options: { suffix: '件' },
      },
      {
        id: 'order_count',
        kind: 'kpi',
        title: '订单数',
        datasetId,
        query: { measures: [{ agg: 'count', label: '订单数' }] },
        layout: { x: 8, y: 0, w: 4, h: 3 },
      },
      {
        id: 'amount_by_region',
        kind: 'bar',
        title: '各区域销售额',
        datasetId,
        query: {
          dimensions: [{ field: '区域' }],
          measures: [{ field: '销售额', agg: 'sum', label: '销售额' }],
          sort: [{ key: 'sum__销售额', dir: 'desc' }],
        },
        layout: { x: 0, y: 3, w: 6, h: 8 },
        options: { showLabels: true },
      },
      {
        id: 'amount_by_month',
        kind: 'line',
        title: '月度销售额趋势',
        datasetId,
        query: {
          dimensions: [{ field: '日期', grain: 'month' }],
          measures: [{ field: '销售额', agg: 'sum', label: '销售额' }],
        },
        layout: { x: 6, y: 3, w: 6, h: 8 },
        options: { smooth: true },
      },
      {
        id: 'detail',
        kind: 'table',
        title: '销售明细',
        datasetId,
        query: {
          columns: SAMPLE_FIELDS.map((f) => f.name),
          sort: [{ key: '日期', dir: 'desc' }],
          limit: 20,
        },
        layout: { x: 0, y: 11, w: 12, h: 10 },
        options: { pageSize: 20 },
      },
    ],
  };
}
