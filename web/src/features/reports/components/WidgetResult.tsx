import type { QueryResult, WidgetData, WidgetKind, WidgetOptions } from '@shulan/shared';
import { Empty, Table, type TableProps } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { buildBarOption, buildLineOption, buildPieOption, formatNumber, kpiValue } from '../../../charts/buildOptions';
import { EChart, type ChartEvents } from '../../../charts/EChart';
import { kpiChange } from '../kpiChange';

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
  options,
  title,
  chartEvents,
  onRowClick,
}: {
  kind: WidgetKind;
  result: WidgetData;
  dimensionCount?: number;
  options?: WidgetOptions;
  /** KPI cards skip the caption when it would repeat the widget title. */
  title?: string;
  table?: TableControl;
  loading?: boolean;
  /** Report page: clicks on bars, points and slices (linkage, drill-down, 查看明细). */
  chartEvents?: ChartEvents;
  /** Report page: a click on a table row (linkage). */
  onRowClick?: (row: Row) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const option = useMemo(() => {
    if (kind === 'bar') return buildBarOption(result, dimensionCount, options);
    if (kind === 'line') return buildLineOption(result, dimensionCount, options);
    if (kind === 'pie') return buildPieOption(result, dimensionCount, options);
    return null;
  }, [kind, result, dimensionCount, options]);

  if (kind === 'kpi') {
    const value = kpiValue(result);
    const label = result.columns.find((c) => c.type !== 'string')?.label ?? result.columns[0]?.label;
    const change = kpiChange(result.comparison, options?.compare);
    return (
      <div style={{ height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'center' }}>
        <div className="kpi-value" data-testid="kpi-value">
          {value === null ? null : options?.prefix}
          {formatNumber(value, lang)}
          {value !== null && options?.suffix ? <span style={{ fontSize: 20, marginInlineStart: 4 }}>{options.suffix}</span> : null}
        </div>
        {label && label !== title ? <div style={{ color: 'rgba(0,0,0,0.45)' }}>{label}</div> : null}
        {change ? (
          <div data-testid="kpi-change" data-direction={change.direction} style={{ color: change.color, marginTop: 4 }}>
            {change.text}
            <span style={{ color: 'rgba(0,0,0,0.45)', marginInlineStart: 8 }}>{t(change.captionKey)}</span>
          </div>
        ) : null}
      </div>
    );
  }
  if (kind === 'table') return <ResultTable result={result} table={table} loading={loading} onRowClick={onRowClick} />;
  if (result.rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return option ? <EChart option={option} onEvents={chartEvents} /> : null;
}

function ResultTable({ result, table, loading, onRowClick }: { result: QueryResult; table?: TableControl; loading?: boolean; onRowClick?: (row: Row) => void }) {
  const columns: TableProps<Row>['columns'] = result.columns.map((c) => ({
    key: c.key,
    dataIndex: c.key,
    title: c.label,
    ellipsis: true,
    align: c.type === 'number' || c.type === 'integer' ? 'right' : 'left',
    sorter: !!table,
    sortOrder: table?.sort?.key === c.key ? (table.sort.dir === 'asc' ? 'ascend' : 'descend') : null,
    render: (v: Row[string]) => cellText(v),
  }));
  return (
    <Table<Row>
      size="small"
      rowKey={(_, i) => String(i)}
      columns={columns}
      dataSource={result.rows}
      loading={loading}
      scroll={{ x: 'max-content' }}
      onRow={onRowClick ? (row) => ({ onClick: () => onRowClick(row), style: { cursor: 'pointer' } }) : undefined}
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

const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Floating sums print as 1797021.7499999; show two decimals. Integers (ids, years) stay as they are. */
function cellText(v: Row[string] | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number' && !Number.isInteger(v)) return decimalFormat.format(v);
  return String(v);
}
