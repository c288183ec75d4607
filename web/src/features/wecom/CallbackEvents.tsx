import type { WecomCallbackEventView } from '@shulan/shared';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/apiClient';
import { ErrorAlert } from '../../components/ErrorAlert';

const STATUS_COLORS = { pending: 'default', applying: 'processing', applied: 'success', ignored: 'default', failed: 'error' } as const;

/** 实时变更: contact-change events WeCom called back between syncs, and what each changed. */
export function CallbackEvents() {
  const { t } = useTranslation();
  const events = useQuery({
    queryKey: ['wecom', 'sync', 'events'],
    queryFn: () => api.get<WecomCallbackEventView[]>('/wecom/sync/events', { limit: 50 }),
    refetchInterval: 10_000,
  });
  const known = ['create_user', 'update_user', 'delete_user', 'create_party', 'update_party', 'delete_party', 'update_tag'];
  return (
    <Card title={t('wecom.callback.eventsTitle')} extra={<Button onClick={() => void events.refetch()} data-testid="wecom-callback-events-refresh">{t('common.refresh')}</Button>}>
      <Typography.Paragraph type="secondary">{t('wecom.callback.eventsHelp')}</Typography.Paragraph>
      <ErrorAlert error={events.error} style={{ marginBottom: 12 }} />
      <Table<WecomCallbackEventView>
        rowKey="id"
        size="small"
        loading={events.isFetching && !events.data}
        dataSource={events.data ?? []}
        data-testid="wecom-callback-events"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('wecom.callback.noEvents') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('wecom.callback.receivedAt'), dataIndex: 'receivedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') },
          { title: t('wecom.callback.change'), dataIndex: 'changeType', render: (v: string) => (known.includes(v) ? t(`wecom.callback.changes.${v}`) : v) },
          { title: t('wecom.callback.subject'), dataIndex: 'subject' },
          { title: t('wecom.sync.result'), dataIndex: 'status', render: (s: WecomCallbackEventView['status']) => <Tag color={STATUS_COLORS[s]}>{t(`wecom.callback.statuses.${s}`)}</Tag> },
          { title: t('wecom.sync.details'), dataIndex: 'result', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </Card>
  );
}
