import type { WecomSyncCounts } from '@shulan/shared';
import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** What a run changed, as short tags; zero counts are left out except the members seen. */
export function SyncCounts({ counts }: { counts: WecomSyncCounts }) {
  const { t } = useTranslation();
  const keys = ['departmentsAdded', 'departmentsChanged', 'departmentsRemoved', 'membersAdded', 'membersChanged', 'membersLeft', 'membersDisabled'] as const;
  const changed = keys.filter((k) => counts[k] > 0);
  return (
    <Space size={[4, 4]} wrap data-testid="wecom-sync-counts">
      <Tag color="blue">{t('wecom.sync.counts.membersSeen', { n: counts.membersSeen })}</Tag>
      {changed.map((k) => (
        <Tag key={k}>{t(`wecom.sync.counts.${k}`, { n: counts[k] })}</Tag>
      ))}
      {changed.length === 0 ? <Tag>{t('wecom.sync.counts.noChange')}</Tag> : null}
    </Space>
  );
}
