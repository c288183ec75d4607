import { ReloadOutlined } from '@ant-design/icons';
import { WecomCallbackTokenSchema, WecomEncodingAesKeySchema, type WecomSettingsView } from '@shulan/shared';
import { Button, Divider, Form, Input, Space, Typography, type FormInstance } from 'antd';
import type { RuleObject } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { generateCallbackToken, generateEncodingAesKey } from './callbackKeys';

/**
 * 接收事件服务器 (real-time contact changes): the URL to paste into the WeCom admin (通讯录同步 →
 * 设置接收事件服务器) and the Token / EncodingAESKey, write-only like the Secret. A generated value
 * is shown once in the field so it can be copied into the WeCom admin before saving.
 */
export function CallbackFields({ view, form, rule }: { view: WecomSettingsView | undefined; form: FormInstance; rule: (schema: typeof WecomCallbackTokenSchema) => RuleObject }) {
  const { t } = useTranslation();
  const url = `https://${window.location.host}${view?.callbackPath ?? '/api/wecom/callback'}`;
  const generate = (field: 'callbackToken' | 'callbackAesKey') => () =>
    form.setFieldValue(field, field === 'callbackToken' ? generateCallbackToken() : generateEncodingAesKey());
  return (
    <>
      <Divider titlePlacement="start" plain>
        {t('wecom.callback.title')}
      </Divider>
      <Typography.Paragraph type="secondary">{t('wecom.callback.help')}</Typography.Paragraph>
      <Form.Item label={t('wecom.callback.url')} extra={t('wecom.callback.urlHelp')}>
        <Typography.Text copyable code data-testid="wecom-callback-url">
          {url}
        </Typography.Text>
      </Form.Item>
      <Form.Item label={t('wecom.callback.token')} extra={view?.callbackTokenSet ? t('wecom.callback.setKeep') : t('wecom.callback.tokenHelp')}>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="callbackToken" noStyle rules={[rule(WecomCallbackTokenSchema)]}>
            <Input autoComplete="off" placeholder={view?.callbackTokenSet ? t('wecom.callback.keepPlaceholder') : ''} data-testid="wecom-callback-token" />
          </Form.Item>
          <Button icon={<ReloadOutlined />} onClick={generate('callbackToken')} data-testid="wecom-callback-token-generate">
            {t('wecom.callback.generate')}
          </Button>
        </Space.Compact>
      </Form.Item>
      <Form.Item label="EncodingAESKey" extra={view?.callbackAesKeySet ? t('wecom.callback.setKeep') : t('wecom.callback.aesKeyHelp')}>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item name="callbackAesKey" noStyle rules={[rule(WecomEncodingAesKeySchema)]}>
            <Input autoComplete="off" placeholder={view?.callbackAesKeySet ? t('wecom.callback.keepPlaceholder') : ''} data-testid="wecom-callback-aes-key" />
          </Form.Item>
          <Button icon={<ReloadOutlined />} onClick={generate('callbackAesKey')} data-testid="wecom-callback-aes-key-generate">
            {t('wecom.callback.generate')}
          </Button>
        </Space.Compact>
      </Form.Item>
    </>
  );
}
