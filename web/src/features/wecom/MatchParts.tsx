import type { WecomMatchConfirmResult } from '@shulan/shared';
import { Alert, Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** A person as name over account (Shulan username or WeCom userid). */
export function UserCell({ name, username }: { name: string; username: string }) {
  return (
    <Flex vertical>
      <span>{name}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {username}
      </Typography.Text>
    </Flex>
  );
}

/** Per-pair outcome of 确认匹配: a pair can still fail if something changed since the preview. */
export function ConfirmResult({ result, names }: { result: WecomMatchConfirmResult; names: Map<string, string> }) {
  const { t } = useTranslation();
  const failed = result.results.filter((r) => !r.ok).length;
  return (
    <div data-testid="wecom-match-confirm-result" style={{ marginBottom: 16 }}>
      <Alert
        type={failed ? 'warning' : 'success'}
        showIcon
        style={{ marginBottom: 8 }}
        title={t('wecom.match.resultSummary', { bound: result.bound, failed })}
      />
      <Table
        rowKey={(r) => `${r.userId}:${r.wecomUserid}`}
        size="small"
        dataSource={result.results}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('wecom.match.user'), key: 'user', render: (_, r) => names.get(r.userId) ?? r.userId },
          { title: t('wecom.match.member'), dataIndex: 'wecomUserid' },
          {
            title: t('wecom.match.outcome'),
            key: 'ok',
            render: (_, r) =>
              r.ok ? <Tag color="success">{t('wecom.match.ok')}</Tag> : <Typography.Text type="danger">{r.message ?? t('wecom.match.notOk')}</Typography.Text>,
          },
        ]}
      />
    </div>
  );
}
