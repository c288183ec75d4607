import type { QueryResult, WidgetDrillBody } from '@shulan/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Modal, Result, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../../api/apiClient';

const PAGE_SIZE = 20;

/** 查看明细: the rows behind one category of a chart, paged, under the page's filters, linkage and drill-down. */
export function DrillThroughModal({ reportId, widgetId, title, body, onClose }: { reportId: string; widgetId: string; title: string; body: Omit<WidgetDrillBody, 'page' | 'pageSize'>; onClose: () => void }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const rows = useQuery({
    queryKey: ['reports', reportId, 'widgets', widgetId, 'drill', body, page],
    queryFn: () => api.post<QueryResult>(`/reports/${reportId}/widgets/${widgetId}/drill`, { ...body, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Modal open title={title} onCancel={onClose} footer={null} width={960} data-testid="drill-through">
      {rows.error ? (
        <Result status="warning" subTitle={errorMessage(rows.error)} />
      ) : (
        <Table
          size="small"
          rowKey={(_, i) => String(i)}
          loading={rows.isFetching}
          scroll={{ x: 'max-content' }}
          dataSource={rows.data?.rows ?? []}
          columns={(rows.data?.columns ?? []).map((c) => ({ key: c.key, dataIndex: c.key, title: c.label, render: (v: unknown) => (v === null || v === undefined ? '—' : String(v)) }))}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: rows.data?.total ?? 0, showSizeChanger: false, size: 'small', showTotal: (n) => t('common.total', { n }), onChange: setPage }}
        />
      )}
    </Modal>
  );
}
