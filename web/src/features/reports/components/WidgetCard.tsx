import { DownloadOutlined, FileTextOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Result, Spin, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/apiClient';
import type { FilterValue, Widget } from '../../../api/types';
import { useWidgetData, widgetExportUrl } from '../useReports';
import { WidgetResult } from './WidgetResult';

/** A widget on the report page: fetches its own data, so one failing widget does not blank the report. */
export function WidgetCard({ reportId, widget, filters }: { reportId: string; widget: Widget; filters: Record<string, FilterValue> }) {
  const { t } = useTranslation();
  const isTable = widget.kind === 'table';
  const [table, setTable] = useState<{ page: number; pageSize: number; sort: { key: string; dir: 'asc' | 'desc' } | null }>({
    page: 1,
    pageSize: widget.options?.pageSize ?? 20,
    sort: null,
  });
  const body = isTable
    ? { filters, page: table.page, pageSize: table.pageSize, ...(table.sort ? { sort: [table.sort] } : {}) }
    : { filters };
  const data = useWidgetData(reportId, widget.id, body);

  const extra = (
    <>
      {isTable ? (
        <Tooltip title={t('report.exportCsv')}>
          <Button
            type="text"
            size="small"
            icon={<DownloadOutlined />}
            href={widgetExportUrl(reportId, widget.id, filters, table.sort ? [table.sort] : undefined)}
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
            href={widgetExportUrl(reportId, widget.id, filters, table.sort ? [table.sort] : undefined, true)}
            data-testid="widget-export-formatted"
          />
        </Tooltip>
      ) : null}
      <Tooltip title={t('common.refresh')}>
        <Button type="text" size="small" icon={<ReloadOutlined />} onClick={() => void data.refetch()} />
      </Tooltip>
    </>
  );

  return (
    <Card title={widget.title || t(`widget.kinds.${widget.kind}`)} size="small" extra={extra} data-testid={`widget-${widget.kind}`}>
      {data.error && !data.data ? (
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
        />
      )}
    </Card>
  );
}
