import { SearchOutlined } from '@ant-design/icons';
import { Card, Input, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useAudit, type AuditParams } from './useAudit';

export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useState<AuditParams>({ limit: 50, offset: 0 });
  const audit = useAudit(params);
  return (
    <>
      <PageHeader title={t('menu.audit')} subTitle={t('audit.subtitle')} />
      <Card>
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('audit.filterAction')}
          style={{ width: 260, marginBottom: 12 }}
          onPressEnter={(e) => setParams((p) => ({ ...p, offset: 0, action: e.currentTarget.value.trim() || undefined }))}
          onChange={(e) => !e.target.value && setParams((p) => ({ ...p, offset: 0, action: undefined }))}
        />
        <ErrorAlert error={audit.error} style={{ marginBottom: 12 }} />
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          loading={audit.isFetching}
          dataSource={audit.data?.items ?? []}
          pagination={{
            current: Math.floor(params.offset / params.limit) + 1,
            pageSize: params.limit,
            total: audit.data?.total ?? 0,
            showTotal: (n) => t('common.total', { n }),
            onChange: (page, pageSize) => setParams((p) => ({ ...p, limit: pageSize, offset: (page - 1) * pageSize })),
          }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', width: 180, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
            { title: t('audit.actor'), dataIndex: 'actor', render: (a: AuditEntry['actor']) => (a ? a.username ?? a.id : t('audit.system')) },
            { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Tag>{v}</Tag> },
            { title: t('audit.target'), dataIndex: 'target', render: (v: string | null) => v ?? '—' },
            {
              title: t('audit.detail'),
              dataIndex: 'detail',
              render: (v: unknown) =>
                v === null || v === undefined ? '—' : (
                  <Typography.Text type="secondary" ellipsis={{ tooltip: JSON.stringify(v, null, 1) }} style={{ maxWidth: 420 }}>
                    {JSON.stringify(v)}
                  </Typography.Text>
                ),
            },
          ]}
        />
      </Card>
    </>
  );
}
