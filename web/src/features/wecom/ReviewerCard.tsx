import { DeleteOutlined, KeyOutlined, UserAddOutlined } from '@ant-design/icons';
import type { ReviewerCredentials } from '@shulan/shared';
import { Alert, App, Button, Card, Descriptions, Flex, Modal, Popconfirm, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/apiClient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCreateReviewer, useRemoveReviewer, useResetReviewerPassword, useReviewer } from './useReviewer';

/**
 * 微信审核测试账号 (seed step 6): one least-privilege account for WeChat's reviewers, made with a
 * button, its password shown once in a box ready to paste, removed after release.
 */
export function ReviewerCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const status = useReviewer();
  const create = useCreateReviewer();
  const reset = useResetReviewerPassword();
  const remove = useRemoveReviewer();
  const [shown, setShown] = useState<ReviewerCredentials | null>(null);
  const [exists, setExists] = useState(false);
  const account = status.data?.account ?? null;

  const onCreate = () =>
    create.mutate(undefined, {
      onSuccess: setShown,
      // Another admin made one meanwhile: say so and offer the reset instead of a second account.
      onError: (e) => (e instanceof ApiError && e.status === 409 ? setExists(true) : void message.error(errorMessage(e))),
    });
  const onReset = (username: string) =>
    reset.mutate(username, {
      onSuccess: (c) => {
        setExists(false);
        setShown(c);
      },
      onError: (e) => void message.error(errorMessage(e)),
    });
  const onRemove = (username: string) =>
    remove.mutate(username, {
      onSuccess: (r) => void message.success(t('wecom.reviewer.removed', { username: r.username })),
      onError: (e) => void message.error(errorMessage(e)),
    });

  return (
    <Card title={t('wecom.reviewer.title')} data-testid="reviewer-card">
      <Typography.Paragraph type="secondary">{t('wecom.reviewer.help')}</Typography.Paragraph>
      <ErrorAlert error={status.error} style={{ marginBottom: 12 }} />
      {account ? (
        <>
          {exists ? <Alert type="info" showIcon title={t('wecom.reviewer.exists', { username: account.username })} style={{ marginBottom: 12 }} /> : null}
          <Descriptions column={1} size="small" style={{ marginBottom: 12 }} data-testid="reviewer-account">
            <Descriptions.Item label={t('wecom.reviewer.username')}>{account.username}</Descriptions.Item>
            <Descriptions.Item label={t('wecom.reviewer.report')}>{account.reportName}</Descriptions.Item>
            <Descriptions.Item label={t('common.createdAt')}>{dayjs(account.createdAt).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
          </Descriptions>
          <Flex gap={8} wrap>
            <Popconfirm title={t('wecom.reviewer.resetConfirm')} onConfirm={() => onReset(account.username)}>
              <Button icon={<KeyOutlined />} loading={reset.isPending} data-testid="reviewer-reset">
                {t('wecom.reviewer.reset')}
              </Button>
            </Popconfirm>
            <Popconfirm title={t('wecom.reviewer.removeConfirm', { username: account.username })} onConfirm={() => onRemove(account.username)}>
              <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="reviewer-remove">
                {t('wecom.reviewer.remove')}
              </Button>
            </Popconfirm>
          </Flex>
        </>
      ) : (
        <>
          {status.data?.released ? <Typography.Paragraph type="secondary">{t('wecom.reviewer.releasedNote')}</Typography.Paragraph> : null}
          <Button type="primary" icon={<UserAddOutlined />} loading={create.isPending} disabled={!status.data} onClick={onCreate} data-testid="reviewer-create">
            {t('wecom.reviewer.create')}
          </Button>
        </>
      )}
      <Modal
        open={shown !== null}
        title={t('wecom.reviewer.shownTitle')}
        onCancel={() => setShown(null)}
        footer={<Button type="primary" onClick={() => setShown(null)} data-testid="reviewer-credentials-close">{t('wecom.reviewer.copied')}</Button>}
        mask={{ closable: false }}
        destroyOnHidden
      >
        {shown ? <CredentialsBox credentials={shown} /> : null}
      </Modal>
    </Card>
  );
}

/** The two values the submission form asks for, each copyable, and where they go. */
function CredentialsBox({ credentials }: { credentials: ReviewerCredentials }) {
  const { t } = useTranslation();
  const both = `${t('wecom.reviewer.formAccount')}：${credentials.username}\n${t('wecom.reviewer.formPassword')}：${credentials.password}`;
  return (
    <div data-testid="reviewer-credentials">
      <Alert type="warning" showIcon title={t('wecom.reviewer.once')} style={{ marginBottom: 12 }} />
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label={t('wecom.reviewer.formAccount')}>
          <Typography.Text code copyable data-testid="reviewer-username">
            {credentials.username}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('wecom.reviewer.formPassword')}>
          <Typography.Text code copyable data-testid="reviewer-password">
            {credentials.password}
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph style={{ marginTop: 12 }}>
        <Typography.Text copyable={{ text: both }}>{t('wecom.reviewer.copyBoth')}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('wecom.reviewer.whereToPaste', { report: credentials.reportName })}
      </Typography.Paragraph>
    </div>
  );
}
