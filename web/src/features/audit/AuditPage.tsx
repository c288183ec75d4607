import { SearchOutlined } from '@ant-design/icons';
import { AUDIT_ACTIONS } from '@shulan/shared';
import { Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { actionLabel, actorText, detailLines, targetText } from './describeAudit';
import { useAudit, type AuditParams } from './useAudit';

/** Filter choices: every action, grouped by area, each area first offering all of its actions. */
function useActionOptions() {
  const { t } = useTranslation();
  return useMemo(() => {
    const byArea = new Map<string, string[]>();
    for (const action of Object.keys(AUDIT_ACTIONS)) {
      const area = action.split('.')[0]!;
      byArea.set(area, [...(byArea.get(area) ?? []), action]);
    }
    return [...byArea].map(([area, actions]) => ({
      label: t(`audit.areas.${area}`),
      options: [
        { value: `${area}.`, label: t('audit.allOf', { area: t(`audit.areas.${area}`) }) },
        ...actions.map((a) => ({ value: a, label: actionLabel(t, a) })),
      ],
    }));
  }, [t]);
}

export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useState<AuditParams>({ limit: 50, offset: 0 });
  const audit = useAudit(params);
  const actionOptions = useActionOptions();
  const names = audit.data?.names ?? {};
  return (
    <>
      <PageHeader title={t('menu.audit')} subTitle={t('audit.subtitle')} />
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('audit.filterAction')}
            style={{ width: 260 }}
            options={actionOptions}
            onChange={(action?: string) => setParams((p) => ({ ...p, offset: 0, action }))}
            data-testid="audit-filter-action"
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('audit.filterActor')}
            style={{ width: 260 }}
            onPressEnter={(e) => setParams((p) => ({ ...p, offset: 0, actor: e.currentTarget.value.trim() || undefined }))}
            onChange={(e) => !e.target.value && setParams((p) => ({ ...p, offset: 0, actor: undefined }))}
            data-testid="audit-filter-actor"
          />
        </Space>
        <ErrorAlert error={audit.error} style={{ marginBottom: 12 }} />
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          loading={audit.isFetching}
          dataSource={audit.data?.items ?? []}
          data-testid="audit-table"
          pagination={{
            current: Math.floor(params.offset / params.limit) + 1,
            pageSize: params.limit,
            total: audit.data?.total ?? 0,
            showTotal: (n) => t('common.total', { n }),
            onChange: (page, pageSize) => setParams((p) => ({ ...p, limit: pageSize, offset: (page - 1) * pageSize })),
          }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
            { title: t('audit.actor'), dataIndex: 'actor', render: (a: AuditEntry['actor']) => actorText(t, a) },
            { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Tag>{actionLabel(t, v)}</Tag> },
            { title: t('audit.target'), key: 'target', render: (_: unknown, e: AuditEntry) => targetText(t, e) ?? '—' },
            {
              title: t('audit.detail'),
              key: 'detail',
              render: (_: unknown, e: AuditEntry) => {
                const lines = detailLines(t, e, names);
                if (lines.length === 0) return '—';
                const text = lines.map((l) => `${l.label}：${l.value}`).join('；');
                return (
                  <Typography.Text type="secondary" ellipsis={{ tooltip: text }} style={{ maxWidth: 420 }}>
                    {text}
                  </Typography.Text>
                );
              },
            },
          ]}
        />
      </Card>
    </>
  );
}
