import { formatValue, type FieldFormat, type FormatLang, type QueryResult, type WidgetData, type WidgetKind, type WidgetOptions } from '@shulan/shared';
import { Alert, Empty, Spin, Table, type TableProps } from 'antd';
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDecimal, isExactNumeric } from '@shulan/shared';
import { buildChartOption, formatNumber, kpiText, kpiValue } from '../../../charts/buildOptions';
import { EChart, type ChartEvents } from '../../../charts/EChart';
import { Sparkline } from '../../../charts/Sparkline';
import { kpiChange } from '../kpiChange';

// Loaded only by reports that have a pivot (S2 is ~1 MB) or a map (the province shapes).
const PivotView = lazy(() => import('../../../charts/pivot/PivotView'));

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
  const mapReady = useChinaMap(kind === 'map');
  const option = useMemo(() => buildChartOption(kind, { result, dimensionCount, options, lang }), [kind, result, dimensionCount, options, lang]);

  if (kind === 'kpi') {
    const value = kpiValue(result);
    const col = result.columns.find((c) => c.type !== 'string');
    const label = col?.label ?? result.columns[0]?.label;
    const fmt = col ? options?.formats?.[col.key] : undefined;
    const change = kpiChange(result.comparison, options?.compare);
    return (
      <div style={{ height: '100%', display: 'flex', flexDirection: 'column', justifyContent: 'center' }}>
        <div className="kpi-value" data-testid="kpi-value">
          {value === null ? null : options?.prefix}
          {fmt ? formatValue(col ? (result.rows[0]?.[col.key] ?? null) : value, fmt, lang) : kpiText(result, lang)}
          {value !== null && options?.suffix ? <span style={{ fontSize: 20, marginInlineStart: 4 }}>{options.suffix}</span> : null}
        </div>
        {label && label !== title ? <div style={{ color: 'rgba(0,0,0,0.45)' }}>{label}</div> : null}
        {change ? (
          <div data-testid="kpi-change" data-direction={change.direction} style={{ color: change.color, marginTop: 4 }}>
            {change.text}
            <span style={{ color: 'rgba(0,0,0,0.45)', marginInlineStart: 8 }}>{t(change.captionKey)}</span>
          </div>
        ) : null}
        {options?.sparkline && result.sparkline && result.sparkline.points.length > 1 ? (
          <Sparkline data={result.sparkline} lang={lang} format={(v) => (fmt ? formatValue(v, fmt, lang) : formatNumber(v, lang))} />
        ) : null}
      </div>
    );
  }
  if (kind === 'table') return <ResultTable result={result} table={table} loading={loading} formats={options?.formats} lang={lang} onRowClick={onRowClick} />;
  if (result.rows.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  if (kind === 'pivot') {
    return (
      <Suspense fallback={<Spin />}>
        <PivotView result={result} dimensionCount={dimensionCount} options={options} lang={lang} labels={{ subTotal: t('chart.subTotal'), grandTotal: t('chart.grandTotal') }} />
      </Suspense>
    );
  }
  if (kind === 'map') {
    if (!mapReady) return <Spin />;
    const unmatched = (option as { unmatched?: string[] } | null)?.unmatched ?? [];
    return (
      <div style={{ height: '100%', display: 'flex', flexDirection: 'column' }}>
        {unmatched.length ? (
          <Alert type="warning" showIcon banner title={t('chart.unmatchedProvinces', { count: unmatched.length, names: unmatched.slice(0, 5).join('、') })} />
        ) : null}
        <div style={{ flex: 1, minHeight: 0 }}>{option ? <EChart option={option} onEvents={chartEvents} /> : null}</div>
      </div>
    );
  }
  return option ? <EChart option={option} onEvents={chartEvents} /> : null;
}

/** Registers the China map (a lazily loaded chunk) the first time a map widget is drawn. */
function useChinaMap(wanted: boolean): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!wanted) return;
    let alive = true;
    void import('../../../charts/map/chinaMap').then(() => alive && setReady(true));
    return () => {
      alive = false;
    };
  }, [wanted]);
  return ready;
}

function ResultTable({
  result,
  table,
  loading,
  formats,
  lang,
  onRowClick,
}: {
  result: QueryResult;
  table?: TableControl;
  loading?: boolean;
  formats?: Record<string, FieldFormat>;
  lang: FormatLang;
  onRowClick?: (row: Row) => void;
}) {
  const columns: TableProps<Row>['columns'] = result.columns.map((c) => ({
    key: c.key,
    dataIndex: c.key,
    title: c.label,
    ellipsis: true,
    align: c.type === 'number' || c.type === 'integer' ? 'right' : 'left',
    sorter: !!table,
    sortOrder: table?.sort?.key === c.key ? (table.sort.dir === 'asc' ? 'ascend' : 'descend') : null,
    render: (v: Row[string]) => (formats?.[c.key] ? formatValue(v, formats[c.key], lang, c.key) : cellText(v, c)),
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

/**
 * Floating sums print as 1797021.7499999; show two decimals. A DECIMAL column shows exactly its
 * scale (523.10), rounded on its digits; values beyond 2^53 come as text and keep every digit.
 * Integers (ids, years) stay as they are.
 */
function cellText(v: Row[string] | undefined, col: QueryResult['columns'][number]): string {
  if (v === null || v === undefined) return '—';
  const numeric = col.type === 'number' || col.type === 'integer';
  if (numeric && col.scale !== undefined && isExactNumeric(v)) {
    return formatDecimal(v, { maxDecimals: col.scale, minDecimals: col.scale, group: true });
  }
  if (typeof v === 'number' && !Number.isInteger(v)) return decimalFormat.format(v);
  if (numeric && typeof v === 'string' && v.includes('.') && isExactNumeric(v)) return formatDecimal(v, { maxDecimals: 2, group: true });
  return String(v);
}
