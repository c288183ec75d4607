import { ApiOutlined, SaveOutlined } from '@ant-design/icons';
import { WecomAppIdSchema, WecomCorpIdSchema, WecomSecretSchema, type WecomSettingsBody, type WecomTestBody } from '@shulan/shared';
import { App, Button, Card, Flex, Form, Input, Switch, Typography } from 'antd';
import type { RuleObject } from 'antd/es/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { CallbackFields } from './CallbackFields';
import { ConnectionChecks } from './ConnectionChecks';
import { useSaveWecomSettings, useTestWecomConnection, useWecomSettings } from './useWecomSettings';

interface FormValues {
  enabled: boolean;
  corpId: string;
  secret: string;
  appId: string;
  allowAdminBinding: boolean;
  syncSecret: string;
  removeSyncSecret: boolean;
  /** Blank keeps the stored value (write-only). */
  callbackToken: string;
  callbackAesKey: string;
}

/**
 * The shared zod schemas check formats inline, so the admin sees "wx + 16 hex" before saving.
 * Their messages are bilingual ("中文 / English"); only the current language's half is shown.
 */
function schemaRule(schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } }, lang: string): RuleObject {
  return {
    validator: (_, value: string | undefined) => {
      if (!value || !value.trim()) return Promise.resolve();
      const res = schema.safeParse(value);
      if (res.success) return Promise.resolve();
      const full = res.error?.issues[0]?.message ?? '';
      const [zh, en] = full.split(' / ');
      return Promise.reject(new Error((lang === 'en' ? en : zh) ?? full));
    },
  };
}

/** On/off, Corp ID, Secret (write-only), AppID, admin binding in the mini program; save and test connection. */
export function WecomSettingsForm() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const settings = useWecomSettings();
  const save = useSaveWecomSettings();
  const test = useTestWecomConnection();
  const [form] = Form.useForm<FormValues>();
  const view = settings.data;

  useEffect(() => {
    if (view) {
      form.setFieldsValue({ enabled: view.enabled, corpId: view.corpId ?? '', appId: view.appId ?? '', secret: '', allowAdminBinding: view.allowAdminBinding, syncSecret: '', removeSyncSecret: false, callbackToken: '', callbackAesKey: '' });
    }
  }, [view, form]);

  const onSave = (v: FormValues) => {
    const body: WecomSettingsBody = {
      enabled: v.enabled,
      corpId: v.corpId.trim() || null,
      appId: v.appId.trim() || null,
      allowAdminBinding: v.allowAdminBinding,
      // Blank keeps the stored Secret: it is never sent back to the browser.
      ...(v.secret.trim() ? { secret: v.secret.trim() } : {}),
      // Same for the contact-sync Secret; removing it goes back to the per-department sync.
      ...(v.callbackToken?.trim() ? { callbackToken: v.callbackToken.trim() } : {}),
      ...(v.callbackAesKey?.trim() ? { callbackAesKey: v.callbackAesKey.trim() } : {}),
      ...(v.removeSyncSecret ? { syncSecret: null } : v.syncSecret.trim() ? { syncSecret: v.syncSecret.trim() } : {}),
    };
    save.mutate(body, {
      onSuccess: () => {
        form.setFieldsValue({ secret: '', syncSecret: '', removeSyncSecret: false, callbackToken: '', callbackAesKey: '' });
        void message.success(t('common.saved'));
      },
      onError: (e) => void message.error(errorMessage(e)),
    });
  };

  const onTest = async () => {
    // Only the two fields the test uses must be valid; the rest may still be in progress.
    const v = await form.validateFields(['corpId', 'secret', 'syncSecret']).catch(() => null);
    if (!v) return;
    const body: WecomTestBody = {};
    const corpId = (v.corpId ?? '').trim();
    const secret = (v.secret ?? '').trim();
    const syncSecret = (v.syncSecret ?? '').trim();
    if (corpId) body.corpId = corpId;
    if (secret) body.secret = secret;
    if (syncSecret) body.syncSecret = syncSecret;
    test.mutate(body);
  };

  const lang = i18n.language;
  return (
    <Card title={t('wecom.settings.title')} loading={settings.isPending}>
      <ErrorAlert error={settings.error} style={{ marginBottom: 12 }} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        onFinish={onSave}
        initialValues={{ enabled: false, corpId: '', appId: '', secret: '', allowAdminBinding: false, syncSecret: '', removeSyncSecret: false, callbackToken: '', callbackAesKey: '' }}
        style={{ maxWidth: 520 }}
      >
        <Form.Item name="enabled" label={t('wecom.settings.enabled')} valuePropName="checked" extra={t('wecom.settings.enabledHelp')}>
          <Switch data-testid="wecom-enabled" />
        </Form.Item>
        <Form.Item
          name="corpId"
          label={t('wecom.settings.corpId')}
          extra={t('wecom.settings.corpIdHelp')}
          rules={[schemaRule(WecomCorpIdSchema, lang)]}
        >
          <Input placeholder="ww0123456789abcdef" autoComplete="off" data-testid="wecom-corp-id" />
        </Form.Item>
        <Form.Item
          name="secret"
          label={t('wecom.settings.secret')}
          extra={view?.secretSet ? t('wecom.settings.secretSet', { hint: view.secretHint ?? '' }) : t('wecom.settings.secretHelp')}
          rules={[schemaRule(WecomSecretSchema, lang)]}
        >
          <Input.Password
            placeholder={view?.secretSet ? t('wecom.settings.secretKeep') : ''}
            autoComplete="new-password"
            data-testid="wecom-secret"
          />
        </Form.Item>
        <Form.Item name="appId" label={t('wecom.settings.appId')} extra={t('wecom.settings.appIdHelp')} rules={[schemaRule(WecomAppIdSchema, lang)]}>
          <Input placeholder="wx0123456789abcdef" autoComplete="off" data-testid="wecom-app-id" />
        </Form.Item>
        <Form.Item
          name="syncSecret"
          label={t('wecom.settings.syncSecret')}
          extra={view?.syncSecretSet ? t('wecom.settings.syncSecretSet', { hint: view.syncSecretHint ?? '' }) : t('wecom.settings.syncSecretHelp')}
          rules={[schemaRule(WecomSecretSchema, lang)]}
        >
          <Input.Password
            placeholder={view?.syncSecretSet ? t('wecom.settings.secretKeep') : t('wecom.settings.optional')}
            autoComplete="new-password"
            data-testid="wecom-sync-secret"
          />
        </Form.Item>
        {view?.syncSecretSet ? (
          <Form.Item name="removeSyncSecret" valuePropName="checked" label={t('wecom.settings.removeSyncSecret')}>
            <Switch data-testid="wecom-remove-sync-secret" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="allowAdminBinding"
          label={t('wecom.settings.allowAdminBinding')}
          valuePropName="checked"
          extra={t('wecom.settings.allowAdminBindingHelp')}
        >
          <Switch data-testid="wecom-allow-admin-binding" />
        </Form.Item>
        <CallbackFields view={view} form={form} rule={(schema) => schemaRule(schema, lang)} />
        <Flex gap={8} wrap>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} data-testid="wecom-save">
            {t('common.save')}
          </Button>
          <Button icon={<ApiOutlined />} onClick={() => void onTest()} loading={test.isPending} data-testid="wecom-test">
            {t('wecom.settings.test')}
          </Button>
        </Flex>
      </Form>
      {test.error ? <ErrorAlert error={test.error} style={{ marginTop: 16 }} /> : null}
      {test.data ? (
        <div style={{ marginTop: 16 }}>
          <Typography.Text strong>{test.data.ok ? t('wecom.checks.allOk') : t('wecom.checks.someFailed')}</Typography.Text>
          <ConnectionChecks checks={test.data.checks} />
        </div>
      ) : null}
    </Card>
  );
}
