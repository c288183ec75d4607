import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, MinusCircleOutlined } from '@ant-design/icons';
import type { WecomCheckResult } from '@shulan/shared';
import { List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

const ICONS: Record<WecomCheckResult['severity'], React.ReactNode> = {
  ok: <CheckCircleFilled style={{ color: '#52c41a', fontSize: 18 }} />,
  warning: <ExclamationCircleFilled style={{ color: '#faad14', fontSize: 18 }} />,
  error: <CloseCircleFilled style={{ color: '#ff4d4f', fontSize: 18 }} />,
  skipped: <MinusCircleOutlined style={{ color: 'rgba(0,0,0,0.35)', fontSize: 18 }} />,
};

/** Each prerequisite with ✓ / ⚠ / ✗ and, when not passed, the server's text saying what to fix. */
export function ConnectionChecks({ checks }: { checks: WecomCheckResult[] }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      data-testid="wecom-checks"
      dataSource={checks}
      renderItem={(c) => (
        <List.Item data-testid={`wecom-check-${c.check}`} data-severity={c.severity}>
          <List.Item.Meta
            avatar={ICONS[c.severity]}
            title={t(`wecom.checks.names.${c.check}`)}
            description={<Typography.Text type={c.severity === 'error' ? 'danger' : c.severity === 'warning' ? 'warning' : 'secondary'}>{c.message}</Typography.Text>}
          />
        </List.Item>
      )}
    />
  );
}
