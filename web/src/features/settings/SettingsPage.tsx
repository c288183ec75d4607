import { RightOutlined, WechatWorkOutlined } from '@ant-design/icons';
import { App, Button, Card, Descriptions, Flex, Form, Input, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import { isAdmin, useChangePassword, useMe } from '../../auth/useAuth';
import { PageHeader } from '../../components/PageHeader';

export function SettingsPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const { hash } = useLocation();
  const navigate = useNavigate();
  // The user menu's "change password" links to #password.
  useEffect(() => {
    if (hash) document.getElementById(hash.slice(1))?.scrollIntoView({ behavior: 'smooth' });
  }, [hash]);
  if (!me) return null;
  return (
    <>
      <PageHeader title={t('menu.profile')} />
      <Flex vertical gap={16} style={{ maxWidth: 760 }}>
        <Card title={t('settings.profile')}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('users.username')}>{me.username}</Descriptions.Item>
            <Descriptions.Item label={t('users.displayName')}>{me.displayName}</Descriptions.Item>
            <Descriptions.Item label={t('users.role')}>
              <Tag>{t(`roles.${me.role}`)}</Tag>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <ChangePasswordCard />
        {isAdmin(me) ? (
          // The integration has its own page under 系统设置; this card is the way there from here.
          <Card title={t('settings.wecomTitle')} id="wecom">
            <Flex justify="space-between" align="center" gap={12} wrap>
              <Flex gap={12} align="center">
                <WechatWorkOutlined style={{ fontSize: 28, color: '#1677ff' }} />
                <Typography.Text type="secondary">{t('settings.wecomLinkText')}</Typography.Text>
              </Flex>
              <Button onClick={() => void navigate('/settings/wecom')} data-testid="settings-wecom-link">
                {t('settings.wecomOpen')} <RightOutlined />
              </Button>
            </Flex>
          </Card>
        ) : null}
        {isAdmin(me) ? (
          <Card title={t('loginMethods.title')} id="login-methods">
            <Flex justify="space-between" align="center" gap={12} wrap>
              <Typography.Text type="secondary">{t('loginMethods.link')}</Typography.Text>
              <Button onClick={() => void navigate('/settings/login-methods')} data-testid="settings-login-methods-link">
                {t('loginMethods.open')} <RightOutlined />
              </Button>
            </Flex>
          </Card>
        ) : null}
      </Flex>
    </>
  );
}

function ChangePasswordCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const change = useChangePassword();
  const handleFinish = (v: { currentPassword: string; newPassword: string }) =>
    change.mutate(
      { currentPassword: v.currentPassword, newPassword: v.newPassword },
      {
        onSuccess: () => {
          form.resetFields();
          void message.success(t('settings.passwordChanged'));
          void navigate('/settings', { replace: true });
        },
        onError: (err) => void message.error(errorMessage(err)),
      },
    );
  return (
    <Card title={t('user.changePassword')} id="password">
      <Form form={form} layout="vertical" onFinish={handleFinish} style={{ maxWidth: 400 }}>
        <Form.Item name="currentPassword" label={t('settings.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('users.newPassword')} rules={[{ required: true, min: 8, max: 256, message: t('users.passwordRule') }]}>
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('settings.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('settings.passwordMismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="change-password-submit">
          {t('settings.changePasswordButton')}
        </Button>
      </Form>
      <p style={{ color: 'rgba(0,0,0,0.45)', marginTop: 12, marginBottom: 0 }}>{t('settings.passwordHint')}</p>
    </Card>
  );
}
