import { Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { CallbackEvents } from './CallbackEvents';
import { SyncHistory } from './SyncHistory';
import { SyncNowCard } from './SyncNowCard';
import { SyncSchedule } from './SyncSchedule';
import { useWecomSettings } from './useWecomSettings';
import { useSyncRuns } from './useWecomSync';

/** 通讯录同步: sync now with live progress, the daily schedule, the history of runs and the real-time events between them. */
export function WecomSyncPanel() {
  const { t } = useTranslation();
  const settings = useWecomSettings();
  const runs = useSyncRuns();
  // The server refuses a sync while the integration is off; say so before the click.
  const disabledReason = settings.data && !settings.data.enabled ? t('wecom.sync.needEnabled') : null;
  return (
    <Flex vertical gap={16}>
      <SyncNowCard runs={runs.data} disabledReason={disabledReason} />
      <SyncSchedule />
      <SyncHistory runs={runs.data} loading={runs.isFetching} error={runs.error} onRefresh={() => void runs.refetch()} />
      <CallbackEvents />
    </Flex>
  );
}
