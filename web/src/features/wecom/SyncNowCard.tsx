import { SyncOutlined } from '@ant-design/icons';
import type { WecomSyncRunView } from '@shulan/shared';
import { Alert, App, Button, Card, Flex, Progress, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { SyncCounts } from './SyncCounts';
import { syncPercent } from './syncProgress';
import { useLiveSync, useStartSync } from './useWecomSync';

/**
 * 立即同步 with a live progress bar. Watches the run it started, or one already running when the
 * page opens (started by the schedule, the CLI or another admin).
 */
export function SyncNowCard({ runs, disabledReason }: { runs: WecomSyncRunView[] | undefined; disabledReason: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const start = useStartSync();
  const [runId, setRunId] = useState<string | null>(null);
  const { live, socketOpen, pushedRunning } = useLiveSync(runId);
  // Follow a run started elsewhere: running when the page opened, or announced on the socket.
  const runningElsewhere = runs?.find((r) => r.status === 'running')?.id ?? pushedRunning;
  const watchingFinished = live !== null && live.status !== 'running';
  useEffect(() => {
    if (runningElsewhere && runningElsewhere !== runId && (!runId || watchingFinished)) setRunId(runningElsewhere);
  }, [runId, runningElsewhere, watchingFinished]);
  const running = live?.status === 'running';

  const onStart = () =>
    start.mutate(undefined, {
      onSuccess: (r) => setRunId(r.runId),
      onError: (e) => void message.error(errorMessage(e)),
    });

  return (
    <Card title={t('wecom.sync.nowTitle')}>
      <Typography.Paragraph type="secondary">{t('wecom.sync.nowHelp')}</Typography.Paragraph>
      {disabledReason ? <Alert type="info" showIcon title={disabledReason} style={{ marginBottom: 12 }} /> : null}
      <Flex gap={16} align="center" wrap>
        <Button
          type="primary"
          icon={<SyncOutlined />}
          // Loading (not disabled) while running, so the label stays readable.
          loading={start.isPending || running}
          disabled={disabledReason !== null}
          onClick={onStart}
          data-testid="wecom-sync-now"
        >
          {running ? t('wecom.sync.running') : t('wecom.sync.now')}
        </Button>
        {live ? (
          <div style={{ flex: 1, minWidth: 280 }} data-testid="wecom-sync-progress" data-status={live.status} data-channel={socketOpen ? 'socket' : 'polling'}>
            <Progress
              percent={syncPercent(live.status, live.progress)}
              status={live.status === 'failed' ? 'exception' : live.status === 'ok' ? 'success' : 'active'}
            />
            <Typography.Text type="secondary" data-testid="wecom-sync-phase">
              {t(`wecom.sync.phases.${live.progress?.phase ?? 'starting'}`, { done: live.progress?.done ?? 0, total: live.progress?.total ?? 0 })}
            </Typography.Text>
          </div>
        ) : null}
      </Flex>
      {live?.status === 'ok' && live.counts ? (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 16 }}
          data-testid="wecom-sync-result"
          title={t('wecom.sync.finished')}
          description={<SyncCounts counts={live.counts} />}
        />
      ) : null}
      {live?.status === 'failed' ? (
        <Alert type="error" showIcon style={{ marginTop: 16 }} data-testid="wecom-sync-result" title={t('wecom.sync.failed')} description={live.error} />
      ) : null}
    </Card>
  );
}
