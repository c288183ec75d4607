import type { WecomWebLoginBody, WecomWebLoginView } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Switch, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/apiClient';
import { useGroups } from '../users/useUsers';

const KEY = ['wecom', 'web-login'] as const;

interface FormValues {
  enabled: boolean;
  agentId: number | null;
  secret?: string;
  publicOrigin: string | null;
  jitEnabled: boolean;
  jitRole: 'viewer' | 'editor';
  jitGroupIds: string[];
}

/**
 * 企业微信网页登录: the 自建应用 behind the H5 entry (workbench) and the QR login on the login page,
 * and just-in-time accounts. The Secret is write-only, like the mini program's.
 */
export function WecomWebLoginCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const view = useQuery({ queryKey: KEY, queryFn: () => api.get<WecomWebLoginView>('/settings/wecom-web') });
  const groups = useGroups();
  const save = useMutation({
    mutationFn: (body: WecomWebLoginBody) => api.put<WecomWebLoginView>('/settings/wecom-web', body),
    onSuccess: (v) => {
      qc.setQueryData(KEY, v);
      void qc.invalidateQueries({ queryKey: ['auth', 'methods'] });
      form.setFieldValue('secret', undefined);
      void message.success(t('wecom.web.saved'));
    },
  });
  const v = view.data;
  useEffect(() => {
    if (v) form.setFieldsValue({ ...v, publicOrigin: v.publicOrigin ?? window.location.origin });
  }, [v, form]);
  const jit = Form.useWatch('jitEnabled', form);

  return (
    <Card title={t('wecom.web.title')} data-testid="wecom-web-card">
      <Typography.Paragraph type="secondary">{t('wecom.web.help')}</Typography.Paragraph>
      {save.error ? <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={(f) => save.mutate({ ...f, secret: f.secret || undefined })} initialValues={{ enabled: false, jitEnabled: false, jitRole: 'viewer', jitGroupIds: [] }}>
        <Form.Item name="enabled" label={t('wecom.web.enabled')} valuePropName="checked">
          <Switch data-testid="wecom-web-enabled" />
        </Form.Item>
        <Form.Item name="agentId" label="AgentId" extra={t('wecom.web.agentIdHelp')}>
          <InputNumber style={{ width: '100%' }} min={1} data-testid="wecom-web-agentid" />
        </Form.Item>
        <Form.Item name="secret" label="Secret" extra={v?.secretSet ? t('wecom.web.secretKept', { hint: v.secretHint }) : t('wecom.web.secretHelp')}>
          <Input.Password autoComplete="new-password" placeholder={v?.secretHint ?? ''} data-testid="wecom-web-secret" />
        </Form.Item>
        <Form.Item name="publicOrigin" label={t('wecom.web.origin')} extra={t('wecom.web.originHelp')}>
          <Input placeholder="https://bi.example.com" data-testid="wecom-web-origin" />
        </Form.Item>
        {v?.trustedDomain ? (
          <Alert
            type="info"
            style={{ marginBottom: 16 }}
            title={
              <>
                {t('wecom.web.trustedDomain')} <Typography.Text copyable code>{v.trustedDomain}</Typography.Text>
                <br />
                {t('wecom.web.homeUrl')} <Typography.Text copyable code>{v.homeUrl}</Typography.Text>
              </>
            }
          />
        ) : null}
        <Form.Item name="jitEnabled" label={t('wecom.web.jit')} valuePropName="checked" extra={t('wecom.web.jitHelp')}>
          <Switch data-testid="wecom-web-jit" />
        </Form.Item>
        {jit ? (
          <>
            <Form.Item name="jitRole" label={t('wecom.web.jitRole')}>
              <Select options={[{ value: 'viewer', label: t('roles.viewer') }, { value: 'editor', label: t('roles.editor') }]} />
            </Form.Item>
            <Form.Item name="jitGroupIds" label={t('wecom.web.jitGroups')}>
              <Select mode="multiple" options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))} />
            </Form.Item>
          </>
        ) : null}
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="wecom-web-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
