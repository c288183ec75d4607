import type { ReportFilter, SubscriptionSchedule, SubscriptionSendView, SubscriptionView } from '@shulan/shared';
import { Alert, App, Button, Drawer, Empty, Flex, Popconfirm, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/apiClient';
import type { FilterValue } from '../../../api/types';
import { SubscriptionForm } from './SubscriptionForm';
import { useDeleteSubscription, useSendNow, useSubscriptionSends, useSubscriptions } from './useSubscriptions';

const STATUS_COLORS: Record<SubscriptionSendView['status'], string> = { ok: 'green', partial: 'orange', failed: 'red', skipped: 'default' };

/** 订阅推送: the report's WeCom card subscriptions, "send now", and the send history. */
export function SubscriptionsPanel(props: { reportId: string; reportFilters: ReportFilter[]; pageFilters: Record<string, FilterValue>; onClose(): void }) {
  const { reportId } = props;
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const list = useSubscriptions(reportId);
  const del = useDeleteSubscription(reportId);
  const sendNow = useSendNow(reportId);
  const [editing, setEditing] = useState<SubscriptionView | 'new' | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const fmt = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' }) : '—');

  const scheduleText = (s: SubscriptionSchedule) =>
    s.kind === 'daily'
      ? t('subscriptions.every.daily', { time: s.time })
      : s.kind === 'weekly'
        ? t('subscriptions.every.weekly', { day: t(`subscriptions.weekdays.${s.weekday}`), time: s.time })
        : s.kind === 'monthly'
          ? t('subscriptions.every.monthly', { day: s.day === 'last' ? t('subscriptions.lastDay') : t('subscriptions.dayN', { n: s.day }), time: s.time })
          : `cron ${s.cron}`;

  return (
    <Drawer open title={t('subscriptions.title')} onClose={props.onClose} size="large" data-testid="subscriptions-panel">
      <Flex vertical gap={12}>
        <Typography.Paragraph type="secondary">{t('subscriptions.help')}</Typography.Paragraph>
        <Button type="primary" onClick={() => setEditing('new')} data-testid="subscription-add">{t('subscriptions.add')}</Button>
        {list.isPending ? (
          <Skeleton active />
        ) : list.error ? (
          <Alert type="error" showIcon title={errorMessage(list.error)} />
        ) : list.data.length === 0 ? (
          <Empty description={t('subscriptions.empty')} />
        ) : (
          <Table<SubscriptionView>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={list.data}
            columns={[
              { title: t('subscriptions.schedule'), render: (_, s) => <>{scheduleText(s.schedule)}{!s.enabled && <Tag style={{ marginLeft: 4 }}>{t('subscriptions.off')}</Tag>}</> },
              { title: t('subscriptions.recipients'), render: (_, s) => t('subscriptions.recipientCount', { users: s.recipients.users.length, groups: s.recipients.groups.length, departments: s.recipients.departments.length }) },
              { title: t('subscriptions.nextRun'), render: (_, s) => fmt(s.nextRunAt) },
              {
                title: t('subscriptions.lastSend'),
                render: (_, s) =>
                  s.lastSend ? <Tag color={STATUS_COLORS[s.lastSend.status]}>{t(`subscriptions.statuses.${s.lastSend.status}`)} {s.lastSend.sent}/{s.lastSend.sent + s.lastSend.skipped}</Tag> : '—',
              },
              {
                title: t('common.actions'),
                render: (_, s) => (
                  <Space size={0} wrap>
                    <Button
                      type="link"
                      loading={sendNow.isPending && sendNow.variables === s.id}
                      data-testid="subscription-send-now"
                      onClick={() =>
                        sendNow.mutate(s.id, {
                          onSuccess: (r) => {
                            void message.info(t('subscriptions.sentResult', { status: t(`subscriptions.statuses.${r.status}`), sent: r.sent, skipped: r.skipped }));
                            setHistoryOf(s.id);
                          },
                          onError: (err) => void message.error(errorMessage(err)),
                        })
                      }
                    >
                      {t('subscriptions.sendNow')}
                    </Button>
                    <Button type="link" onClick={() => setHistoryOf(s.id)}>{t('subscriptions.history')}</Button>
                    <Button type="link" onClick={() => setEditing(s)}>{t('common.edit')}</Button>
                    <Popconfirm title={t('subscriptions.deleteConfirm')} onConfirm={() => del.mutate(s.id, { onError: (err) => void message.error(errorMessage(err)) })}>
                      <Button type="link" danger>{t('common.delete')}</Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
        {historyOf && <SendHistory reportId={reportId} subscriptionId={historyOf} fmt={fmt} />}
      </Flex>
      {editing && (
        <SubscriptionForm
          reportId={reportId}
          reportFilters={props.reportFilters}
          pageFilters={props.pageFilters}
          editing={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Drawer>
  );
}

/** Past sends, each with the people who did not get the card and why (invaliduser, no access…). */
function SendHistory({ reportId, subscriptionId, fmt }: { reportId: string; subscriptionId: string; fmt: (iso: string | null) => string }) {
  const { t, i18n } = useTranslation();
  const sends = useSubscriptionSends(reportId, subscriptionId);
  if (sends.isPending) return <Skeleton active />;
  if (sends.error) return <Alert type="error" showIcon title={errorMessage(sends.error)} />;
  return (
    <div data-testid="subscription-history">
      <Typography.Title level={5}>{t('subscriptions.history')}</Typography.Title>
      <Table<SubscriptionSendView>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={sends.data}
        locale={{ emptyText: t('subscriptions.noSends') }}
        expandable={{
          rowExpandable: (s) => s.recipients.some((r) => r.status !== 'sent') || !!s.error,
          expandedRowRender: (s) => (
            <>
              {s.error && <Alert type="error" showIcon title={i18n.language === 'en' ? s.error.en : s.error.zh} style={{ marginBottom: 8 }} />}
              <Table
                rowKey={(r) => `${r.userId ?? ''}|${r.wecomUserid ?? ''}`}
                size="small"
                pagination={false}
                dataSource={s.recipients.filter((r) => r.status !== 'sent')}
                columns={[
                  { title: t('subscriptions.recipient'), render: (_, r) => `${r.name}${r.wecomUserid ? ` (${r.wecomUserid})` : ''}` },
                  { title: t('subscriptions.outcome'), render: (_, r) => <Tag>{t(`subscriptions.recipientStatuses.${r.status}`)}</Tag> },
                  { title: t('subscriptions.detail'), dataIndex: 'detail', render: (d: string | null) => d ?? '' },
                ]}
              />
            </>
          ),
        }}
        columns={[
          { title: t('subscriptions.at'), render: (_, s) => fmt(s.startedAt) },
          { title: t('subscriptions.trigger'), render: (_, s) => t(`subscriptions.triggers.${s.trigger}`) },
          { title: t('subscriptions.result'), render: (_, s) => <Tag color={STATUS_COLORS[s.status]}>{t(`subscriptions.statuses.${s.status}`)}</Tag> },
          { title: t('subscriptions.sentCount'), render: (_, s) => `${s.sent} / ${s.sent + s.skipped}` },
        ]}
      />
    </div>
  );
}

