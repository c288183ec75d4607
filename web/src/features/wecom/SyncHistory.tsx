import type { WecomSyncRunView } from '@shulan/shared';
import { Button, Card, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SyncCounts } from './SyncCounts';

const STATUS_COLORS = { running: 'processing', ok: 'success', failed: 'error' } as const;

/** History of runs: start, end, trigger, result, counts and the translated error. */
export function SyncHistory({ runs, loading, error, onRefresh }: { runs: WecomSyncRunView[] | undefined; loading: boolean; error: unknown; onRefresh: () => void }) {
  const { t } = useTranslation();
  const fmt = (v: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm:ss') : '—');
  return (
    <Card title={t('wecom.sync.historyTitle')} extra={<Button onClick={onRefresh}>{t('common.refresh')}</Button>}>
      <ErrorAlert error={error} style={{ marginBottom: 12 }} />
      <Table<WecomSyncRunView>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={runs ?? []}
        data-testid="wecom-sync-history"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: t('wecom.sync.noRuns') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('wecom.sync.startedAt'), dataIndex: 'startedAt', render: fmt },
          { title: t('wecom.sync.finishedAt'), dataIndex: 'finishedAt', render: fmt },
          { title: t('wecom.sync.trigger'), dataIndex: 'trigger', render: (v: WecomSyncRunView['trigger']) => t(`wecom.sync.triggers.${v}`) },
          {
            title: t('wecom.sync.result'),
            dataIndex: 'status',
            render: (s: WecomSyncRunView['status']) => <Tag color={STATUS_COLORS[s]}>{t(`wecom.sync.statuses.${s}`)}</Tag>,
          },
          {
            title: t('wecom.sync.details'),
            key: 'details',
            render: (_, r) =>
              r.error ? (
                <Typography.Text type="danger" style={{ maxWidth: 480, display: 'inline-block' }}>
                  {r.error}
                </Typography.Text>
              ) : r.counts ? (
                <SyncCounts counts={r.counts} />
              ) : (
                '—'
              ),
          },
        ]}
      />
    </Card>
  );
}
