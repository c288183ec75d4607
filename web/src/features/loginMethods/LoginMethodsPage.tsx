import type { LdapSettingsBody, LdapSettingsView, OidcSettingsBody, OidcSettingsView } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, Input, Row, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/apiClient';
import { PageHeader } from '../../components/PageHeader';
import { GroupMappingFields } from './GroupMappingFields';

/** 系统设置 → 登录方式: OIDC single sign-on and LDAP accounts, each optional. Secrets are write-only. */
export function LoginMethodsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('loginMethods.title')} subTitle={t('loginMethods.subtitle')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <OidcCard />
        </Col>
        <Col xs={24} xl={12}>
          <LdapCard />
        </Col>
      </Row>
    </>
  );
}

function useSettings<V, B>(path: string) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const { t } = useTranslation();
  const view = useQuery({ queryKey: ['settings', path], queryFn: () => api.get<V>(`/settings/${path}`) });
  const save = useMutation({
    mutationFn: (body: B) => api.put<V>(`/settings/${path}`, body),
    onSuccess: (v) => {
      qc.setQueryData(['settings', path], v);
      void qc.invalidateQueries({ queryKey: ['auth', 'methods'] });
      void message.success(t('common.saved'));
    },
  });
  return { view, save };
}

function OidcCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<OidcSettingsBody>();
  const { view, save } = useSettings<OidcSettingsView, OidcSettingsBody>('oidc');
  useEffect(() => {
    if (view.data) form.setFieldsValue(view.data);
  }, [view.data, form]);
  return (
    <Card title={t('loginMethods.oidc')} data-testid="oidc-card">
      <Typography.Paragraph type="secondary">
        {t('loginMethods.oidcHelp')} <Typography.Text code copyable>{`${window.location.origin}${view.data?.redirectPath ?? '/api/auth/oidc/callback'}`}</Typography.Text>
      </Typography.Paragraph>
      {save.error ? <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate({ ...v, clientSecret: v.clientSecret || undefined })} initialValues={{ enabled: false, createUsers: false, groupMap: [], adminGroups: [], editorGroups: [] }}>
        <Form.Item name="enabled" label={t('loginMethods.enabled')} valuePropName="checked">
          <Switch data-testid="oidc-enabled" />
        </Form.Item>
        <Form.Item name="displayName" label={t('loginMethods.buttonText')}>
          <Input data-testid="oidc-display-name" />
        </Form.Item>
        <Form.Item name="issuer" label="Issuer" extra={t('loginMethods.issuerHelp')}>
          <Input placeholder="https://sso.example.com/realms/corp" data-testid="oidc-issuer" />
        </Form.Item>
        <Form.Item name="clientId" label="Client ID">
          <Input data-testid="oidc-client-id" />
        </Form.Item>
        <Form.Item name="clientSecret" label="Client Secret" extra={view.data?.clientSecretSet ? t('loginMethods.secretKept') : t('loginMethods.secretHelp')}>
          <Input.Password autoComplete="new-password" data-testid="oidc-client-secret" />
        </Form.Item>
        <Form.Item name="scopes" label="Scopes">
          <Input data-testid="oidc-scopes" />
        </Form.Item>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="usernameClaim" label={t('loginMethods.usernameClaim')} extra={t('loginMethods.usernameClaimHelp')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="groupsClaim" label={t('loginMethods.groupsClaim')}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <GroupMappingFields prefix="oidc" />
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="oidc-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

function LdapCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LdapSettingsBody>();
  const { view, save } = useSettings<LdapSettingsView, LdapSettingsBody>('ldap');
  useEffect(() => {
    if (view.data) form.setFieldsValue(view.data);
  }, [view.data, form]);
  return (
    <Card title={t('loginMethods.ldap')} data-testid="ldap-card">
      <Typography.Paragraph type="secondary">{t('loginMethods.ldapHelp')}</Typography.Paragraph>
      {save.error ? <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate({ ...v, bindPassword: v.bindPassword || undefined })} initialValues={{ enabled: false, createUsers: false, groupMap: [], adminGroups: [], editorGroups: [] }}>
        <Form.Item name="enabled" label={t('loginMethods.enabled')} valuePropName="checked">
          <Switch data-testid="ldap-enabled" />
        </Form.Item>
        <Form.Item name="url" label={t('loginMethods.ldapUrl')}>
          <Input placeholder="ldaps://ldap.example.com:636" data-testid="ldap-url" />
        </Form.Item>
        <Form.Item name="bindDn" label="Bind DN" extra={t('loginMethods.bindDnHelp')}>
          <Input placeholder="cn=shulan,ou=services,dc=example,dc=com" data-testid="ldap-bind-dn" />
        </Form.Item>
        <Form.Item name="bindPassword" label={t('loginMethods.bindPassword')} extra={view.data?.bindPasswordSet ? t('loginMethods.secretKept') : t('loginMethods.secretHelp')}>
          <Input.Password autoComplete="new-password" data-testid="ldap-bind-password" />
        </Form.Item>
        <Form.Item name="baseDn" label="Base DN">
          <Input placeholder="ou=people,dc=example,dc=com" data-testid="ldap-base-dn" />
        </Form.Item>
        <Form.Item name="userFilter" label={t('loginMethods.userFilter')} extra={t('loginMethods.userFilterHelp')}>
          <Input data-testid="ldap-user-filter" />
        </Form.Item>
        <Row gutter={8}>
          <Col span={12}>
            <Form.Item name="nameAttribute" label={t('loginMethods.nameAttribute')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="groupBaseDn" label={t('loginMethods.groupBaseDn')} extra={t('loginMethods.groupBaseDnHelp')}>
              <Input data-testid="ldap-group-base-dn" />
            </Form.Item>
          </Col>
        </Row>
        <GroupMappingFields prefix="ldap" />
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="ldap-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
