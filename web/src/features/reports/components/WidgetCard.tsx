import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Result, Spin, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/apiClient';
import type { FilterValue, Widget } from '../../../api/types';
import { useWidgetData, widgetExportUrl } from '../useReports';
import { WidgetResult } from './WidgetResult';

/** A widget on the report page: fetches its own data, so one failing widget does not blank the report. */
export function WidgetCard({ reportId, widget, filters, viewAs }: { reportId: string; widget: Widget; filters: Record<string, FilterValue>; viewAs?: string }) {
  const { t } = useTranslation();
  const isTable = widget.kind === 'table';
  const [table, setTable] = useState<{ page: number; pageSize: number; sort: { key: string; dir: 'asc' | 'desc' } | null }>({
    page: 1,
    pageSize: widget.options?.pageSize ?? 20,
    sort: null,
  });
  const body = isTable
    ? { filters, page: table.page, pageSize: table.pageSize, ...(table.sort ? { sort: [table.sort] } : {}), ...(viewAs ? { viewAs } : {}) }
    : { filters, ...(viewAs ? { viewAs } : {}) };
  const data = useWidgetData(reportId, widget.id, body);

  const extra = (
    <>
      {isTable ? (
        <Tooltip title={t('report.exportCsv')}>
          <Button
            type="text"
            size="small"
            icon={<DownloadOutlined />}
            href={widgetExportUrl(reportId, widget.id, filters, table.sort ? [table.sort] : undefined, viewAs)}
            data-testid="widget-export"
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
          dimensionCount={widget.query.dimensions?.length}
          options={widget.options}
          title={widget.title}
          loading={data.isFetching}
          table={isTable ? { ...table, onChange: setTable } : undefined}
        />
      )}
    </Card>
  );
}
