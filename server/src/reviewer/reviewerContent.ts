import { ReportDefinitionSchema, type Field, type ReportDefinition } from '@shulan/shared';

/**
 * The reviewer's tiny dataset: five rows written into the dataset's own SQL over the embedded
 * store. No table is loaded, so `shulan reviewer create` works while the server holds the
 * DuckDB file (DuckDB lets one process write it), and removing the dataset removes the data.
 */
export const REVIEWER_SQL = `SELECT * FROM (VALUES
  ('华东', 1280, 32),
  ('华南', 960, 25),
  ('华北', 870, 21),
  ('西南', 540, 14),
  ('东北', 410, 11)
) AS t("区域", "销售额", "订单数")`;

export const REVIEWER_FIELDS: Field[] = [
  { name: '区域', type: 'string' },
  { name: '销售额', type: 'integer' },
  { name: '订单数', type: 'integer' },
];

export const REVIEWER_DISPLAY_NAME = '微信审核测试账号';
export const REVIEWER_REPORT_NAME = '示例报表';
export const REVIEWER_REPORT_DESCRIPTION = '供微信审核使用的示例报表：一张柱状图和一张表格，数据为虚构。';
export const reviewerDatasetName = (username: string) => `微信审核示例数据（${username}）`;

/** One simple report, as the seed asks: a bar chart and a table over the five rows. */
export function reviewerReportDefinition(datasetId: string): ReportDefinition {
  return ReportDefinitionSchema.parse({
    filters: [],
    widgets: [
      {
        id: 'amount_by_region',
        kind: 'bar',
        title: '各区域销售额',
        datasetId,
        query: { dimensions: [{ field: '区域' }], measures: [{ field: '销售额', agg: 'sum', label: '销售额' }], sort: [{ key: 'sum__销售额', dir: 'desc' }] },
        layout: { x: 0, y: 0, w: 12, h: 8 },
        options: { showLabels: true },
      },
      {
        id: 'detail',
        kind: 'table',
        title: '明细',
        datasetId,
        query: { columns: REVIEWER_FIELDS.map((f) => f.name), sort: [{ key: '销售额', dir: 'desc' }], limit: 20 },
        layout: { x: 0, y: 8, w: 12, h: 8 },
        options: { pageSize: 20 },
      },
    ],
  });
}
