import { DownloadOutlined, FileTextOutlined, ReloadOutlined } from '@ant-design/icons';
import type { SelectionItem } from '@shulan/shared';
import { Breadcrumb, Button, Card, Dropdown, Result, Spin, Tooltip } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/apiClient';
import type { FilterValue, Widget } from '../../../api/types';
import type { ChartEvent } from '../../../charts/EChart';
import { categoryAt, categoryLabel, hierarchyOf, levelKey, selectionFor } from '../interaction';
import { useWidgetData, widgetExportUrl } from '../useReports';
import type { DrillPath } from '../viewState';
import { DrillThroughModal } from './DrillThroughModal';
import { WidgetResult } from './WidgetResult';

type Cell = string | number | boolean | null;

/**
 * A widget on the report page: fetches its own data, so one failing widget does not blank the report.
 * A click on a category drills down when the widget has a hierarchy and is not at its bottom, else
 * filters the other widgets (联动); a right click offers 查看明细 (the rows behind the category).
 */
export function WidgetCard({
  reportId,
  widget,
  filters,
  selection = [],
  drill = [],
  onSelect,
  onDrill,
  viewAs,
}: {
  reportId: string;
  widget: Widget;
  filters: Record<string, FilterValue>;
  selection?: SelectionItem[];
  drill?: DrillPath;
  onSelect?: (items: SelectionItem[]) => void;
  onDrill?: (path: DrillPath) => void;
  /** An admin's view-as ticket: the data as that user sees it. */
  viewAs?: string;
}) {
  const { t } = useTranslation();
  const isTable = widget.kind === 'table';
  const [table, setTable] = useState<{ page: number; pageSize: number; sort: { key: string; dir: 'asc' | 'desc' } | null }>({
    page: 1,
    pageSize: widget.options?.pageSize ?? 20,
    sort: null,
  });
  const interaction = { ...(selection.length ? { selection } : {}), ...(drill.length ? { drill } : {}) };
  const body = isTable
    ? { filters, ...interaction, page: table.page, pageSize: table.pageSize, ...(table.sort ? { sort: [table.sort] } : {}), ...(viewAs ? { viewAs } : {}) }
    : { filters, ...interaction, ...(viewAs ? { viewAs } : {}) };
  const data = useWidgetData(reportId, widget.id, body);

  const levels = hierarchyOf(widget);
  const level = levels[drill.length];
  const canDrill = level !== undefined && drill.length < levels.length - 1;
  const linkage = widget.options?.linkage !== false && level !== undefined;
  const [details, setDetails] = useState<Cell | undefined>(undefined);
  const menuValue = useRef<Cell | undefined>(undefined);
  const [, setMenuTick] = useState(0);

  const valueAt = (e: ChartEvent): Cell | undefined =>
    data.data && level ? categoryAt(data.data, levelKey(level), e.dataIndex, widget.kind === 'pie') : undefined;
  const activate = (v: Cell | undefined) => {
    if (v === undefined) return;
    if (canDrill) onDrill?.([...drill, v]);
    else if (linkage) onSelect?.(selectionFor(widget, drill, v));
  };
  const chartEvents =
    level && !isTable
      ? {
          click: (e: ChartEvent) => activate(valueAt(e)),
          contextmenu: (e: ChartEvent) => {
            menuValue.current = valueAt(e);
            setMenuTick((n) => n + 1);
          },
        }
      : undefined;

  const extra = (
    <>
      {isTable ? (
        <Tooltip title={t('report.exportCsv')}>
          <Button
            type="text"
            size="small"
            icon={<DownloadOutlined />}
            href={widgetExportUrl(reportId, widget.id, filters, table.sort ? [table.sort] : undefined, interaction, false, viewAs)}
            data-testid="widget-export"
          />
        </Tooltip>
      ) : null}
      {isTable && widget.options?.formats ? (
        // Raw numbers are what Excel sums; this one is for pasting the figures as they are shown.
        <Tooltip title={t('report.exportCsvFormatted')}>
          <Button
            type="text"
            size="small"
            icon={<FileTextOutlined />}
            href={widgetExportUrl(reportId, widget.id, filters, table.sort ? [table.sort] : undefined, interaction, true, viewAs)}
            data-testid="widget-export-formatted"
          />
        </Tooltip>
      ) : null}
      <Tooltip title={t('common.refresh')}>
        <Button type="text" size="small" icon={<ReloadOutlined />} onClick={() => void data.refetch()} />
      </Tooltip>
    </>
  );

  const v = menuValue.current;
  const label = v === undefined ? '' : categoryLabel(v, level?.grain);
  const menu = {
    items: [
      { key: 'details', label: t('interaction.details'), disabled: v === undefined, 'data-testid': 'widget-menu-details' },
      ...(canDrill ? [{ key: 'drill', label: t('interaction.drillDown', { value: label }), disabled: v === undefined }] : []),
      ...(linkage ? [{ key: 'select', label: t('interaction.filterOthers', { value: label }), disabled: v === undefined }] : []),
    ],
    onClick: ({ key }: { key: string }) => {
      if (v === undefined) return;
      if (key === 'details') setDetails(v);
      else if (key === 'drill') onDrill?.([...drill, v]);
      else onSelect?.(selectionFor(widget, drill, v));
    },
  };

  const body2 = data.error && !data.data ? (
    <Result status="warning" subTitle={errorMessage(data.error)} style={{ padding: 16 }} />
  ) : !data.data ? (
    <div style={{ height: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin />
    </div>
  ) : (
    <WidgetResult
      kind={widget.kind}
      result={data.data}
      dimensionCount={widget.query?.dimensions?.length}
      options={widget.options}
      title={widget.title}
      loading={data.isFetching}
      table={isTable ? { ...table, onChange: setTable } : undefined}
      chartEvents={chartEvents}
      onRowClick={isTable && linkage && level ? (row) => activate(row[levelKey(level)] ?? null) : undefined}
    />
  );

  return (
    <Card title={widget.title || t(`widget.kinds.${widget.kind}`)} size="small" extra={extra} data-testid={`widget-${widget.kind}`} data-widget-id={widget.id}>
      {levels.length > 1 ? (
        <Breadcrumb
          aria-label={t('interaction.breadcrumb')}
          data-testid="drill-breadcrumb"
          style={{ marginBottom: 4 }}
          items={[t('interaction.all'), ...drill.map((d, i) => categoryLabel(d, levels[i]?.grain))].map((title, i, all) => ({
            title:
              i === all.length - 1 ? (
                <span data-testid="drill-crumb">{title}</span>
              ) : (
                <a data-testid="drill-crumb" onClick={() => onDrill?.(drill.slice(0, i))}>
                  {title}
                </a>
              ),
          }))}
        />
      ) : null}
      {chartEvents ? (
        <Dropdown menu={menu} trigger={['contextMenu']}>
          <div style={{ height: levels.length > 1 ? 'calc(100% - 26px)' : '100%' }}>{body2}</div>
        </Dropdown>
      ) : (
        body2
      )}
      {details !== undefined ? (
        <DrillThroughModal
          reportId={reportId}
          widgetId={widget.id}
          title={t('interaction.detailsOf', { value: categoryLabel(details, level?.grain) })}
          body={{ filters, ...interaction, value: details }}
          onClose={() => setDetails(undefined)}
        />
      ) : null}
    </Card>
  );
}
