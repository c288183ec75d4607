import { WecomUseridSchema, type UserView } from '@shulan/shared';
import { App, Button, Flex, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { useManualMatch } from './useWecomBindings';

/** 手动匹配: the admin types the member's WeCom userid (企业微信管理后台 → 通讯录 → 成员详情 → 账号). */
export function ManualMatchModal({ user, onClose }: { user: UserView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const match = useManualMatch();
  const [form] = Form.useForm<{ wecomUserid: string }>();
  const onFinish = (v: { wecomUserid: string }) =>
    match.mutate(
      { userId: user.id, wecomUserid: v.wecomUserid.trim() },
      {
        onSuccess: () => {
          void message.success(t('wecom.manual.done', { name: user.displayName }));
          onClose();
        },
        onError: (e) => void message.error(errorMessage(e)),
      },
    );
  return (
    <Modal
      open
      title={t('wecom.manual.title', { name: user.displayName })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={match.isPending} onClick={() => form.submit()} data-testid="wecom-manual-submit">
            {t('wecom.manual.submit')}
          </Button>
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t('wecom.manual.help')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item
          name="wecomUserid"
          label={t('personnel.wecomUserid')}
          rules={[
            { required: true, message: t('wecom.manual.required') },
            {
              validator: (_, v: string | undefined) =>
                !v || WecomUseridSchema.safeParse(v).success ? Promise.resolve() : Promise.reject(new Error(t('wecom.manual.invalid'))),
            },
          ]}
        >
          <Input autoFocus maxLength={64} placeholder="ZhangSan" data-testid="wecom-manual-userid" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
