import type { QueryResult, WidgetKind } from '@shulan/shared';
import { Empty, Table, type TableProps } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { buildBarOption, buildLineOption, buildPieOption, formatNumber, kpiValue } from '../../../charts/buildOptions';
import { EChart } from '../../../charts/EChart';

type Row = QueryResult['rows'][number];

interface TableControl {
  page: number;
  pageSize: number;
  sort: { key: string; dir: 'asc' | 'desc' } | null;
  onChange: (next: { page: number; pageSize: number; sort: { key: string; dir: 'asc' | 'desc' } | null }) => void;
}

/** Draws one query result as the widget's kind; shared by the report page and the editor preview. */
export function WidgetResult({
  kind,
  result,
  dimensionCount,
  table,
  loading,
}: {
  kind: WidgetKind;
  result: QueryResult;
  dimensionCount?: number;
  table?: TableControl;
  loading?: boolean;
}) {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const option = useMemo(() => {
    if (kind === 'bar') return buildBarOption(result, dimensionCount);
    if (kind === 'line') return buildLineOption(result, dimensionCount);
    if (kind === 'pie') return buildPieOption(result, dimensionCount);
    return null;
  }, [kind, result, dimensionCount]);

  if (kind === 'kpi') {
    const label = result.columns.find((c) => c.type !== 'string')?.label ?? result.columns[0]?.label;
    return (
      <div style={{ height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'center' }}>
        <div className="kpi-value" data-testid="kpi-value">
          {formatNumber(kpiValue(result), lang)}
        </div>
        <div style={{ color: 'rgba(0,0,0,0.45)' }}>{label}</div>
      </div>
    );
  }
  if (kind === 'table') return <ResultTable result={result} table={table} loading={loading} />;
  if (result.rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return option ? <EChart option={option} /> : null;
}

function ResultTable({ result, table, loading }: { result: QueryResult; table?: TableControl; loading?: boolean }) {
  const columns: TableProps<Row>['columns'] = result.columns.map((c) => ({
    key: c.key,
    dataIndex: c.key,
    title: c.label,
    ellipsis: true,
    align: c.type === 'number' || c.type === 'integer' ? 'right' : 'left',
    sorter: !!table,
    sortOrder: table?.sort?.key === c.key ? (table.sort.dir === 'asc' ? 'ascend' : 'descend') : null,
    render: (v: Row[string]) => (v === null || v === undefined ? '—' : typeof v === 'boolean' ? String(v) : v),
  }));
  return (
    <Table<Row>
      size="small"
      rowKey={(_, i) => String(i)}
      columns={columns}
      dataSource={result.rows}
      loading={loading}
      scroll={{ x: 'max-content' }}
      pagination={
        table
          ? { current: table.page, pageSize: table.pageSize, total: result.total, showSizeChanger: true, size: 'small' }
          : { pageSize: 20, size: 'small', hideOnSinglePage: true }
      }
      onChange={(pagination, _filters, sorter) => {
        if (!table) return;
        const s = Array.isArray(sorter) ? sorter[0] : sorter;
        const sort = s && s.order && s.columnKey ? { key: String(s.columnKey), dir: s.order === 'ascend' ? ('asc' as const) : ('desc' as const) } : null;
        table.onChange({ page: pagination.current ?? 1, pageSize: pagination.pageSize ?? table.pageSize, sort });
      }}
    />
  );
}
