import { WecomUseridSchema, type UserView, type WecomMemberView } from '@shulan/shared';
import { App, Button, Flex, Form, Input, Modal, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { useManualMatch, useMemberSearch } from './useWecomBindings';

const PAGE = 8;

/**
 * 手动匹配: the admin searches the synced directory (name, userid, department, mobile where
 * readable) and picks the member; department path and position tell namesakes apart. A member not
 * synced yet can still be typed by UserID (企业微信管理后台 → 通讯录 → 成员详情 → 账号): the server
 * then asks WeCom whether that member exists and is active.
 */
export function ManualMatchModal({ user, onClose }: { user: UserView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const match = useManualMatch();
  const [form] = Form.useForm<{ wecomUserid: string }>();
  const [typed, setTyped] = useState(user.displayName);
  const [q, setQ] = useState(user.displayName);
  const [offset, setOffset] = useState(0);
  const selected = Form.useWatch('wecomUserid', form);
  useEffect(() => {
    // Ask the server once typing pauses, not on every key.
    const id = setTimeout(() => {
      setQ(typed.trim());
      setOffset(0);
    }, 250);
    return () => clearTimeout(id);
  }, [typed]);
  const members = useMemberSearch(q, offset, PAGE);

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
  const pick = (m: WecomMemberView) => {
    if (!m.boundTo) form.setFieldsValue({ wecomUserid: m.userid });
  };
  return (
    <Modal
      open
      width={760}
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
      <Typography.Paragraph type="secondary">{t('wecom.manual.searchHelp')}</Typography.Paragraph>
      <Input.Search
        allowClear
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        placeholder={t('wecom.manual.searchPlaceholder')}
        data-testid="wecom-manual-search"
        style={{ marginBottom: 8 }}
      />
      <Table<WecomMemberView>
        size="small"
        rowKey="userid"
        data-testid="wecom-manual-results"
        loading={members.isFetching}
        dataSource={members.data?.items ?? []}
        locale={{ emptyText: t('wecom.manual.noResults') }}
        rowSelection={{
          type: 'radio',
          selectedRowKeys: selected ? [selected] : [],
          onChange: (_, rows) => rows[0] && pick(rows[0]),
          getCheckboxProps: (m) => ({ disabled: !!m.boundTo, 'data-testid': `wecom-member-pick-${m.userid}` }) as never,
        }}
        onRow={(m) => ({ onClick: () => pick(m), style: { cursor: m.boundTo ? 'not-allowed' : 'pointer' } })}
        pagination={{
          current: offset / PAGE + 1,
          pageSize: PAGE,
          total: members.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (p) => setOffset((p - 1) * PAGE),
        }}
        columns={[
          { title: t('wecom.manual.name'), dataIndex: 'name', width: 110 },
          { title: 'UserID', dataIndex: 'userid', width: 130 },
          {
            title: t('wecom.manual.departments'),
            dataIndex: 'departments',
            render: (ds: string[]) => ds.map((d) => <div key={d}>{d}</div>),
          },
          { title: t('wecom.manual.position'), dataIndex: 'position', width: 110, render: (p: string | null) => p || '—' },
          {
            title: t('wecom.manual.matchedWith'),
            dataIndex: 'boundTo',
            width: 120,
            render: (b: WecomMemberView['boundTo']) => (b ? <Tag>{b.displayName || b.username}</Tag> : '—'),
          },
        ]}
      />
      <Form form={form} layout="vertical" onFinish={onFinish} style={{ marginTop: 12 }}>
        <Form.Item
          name="wecomUserid"
          label={t('wecom.manual.chosen')}
          extra={t('wecom.manual.help')}
          rules={[
            { required: true, message: t('wecom.manual.required') },
            {
              validator: (_, v: string | undefined) =>
                !v || WecomUseridSchema.safeParse(v).success ? Promise.resolve() : Promise.reject(new Error(t('wecom.manual.invalid'))),
            },
          ]}
        >
          <Input maxLength={64} placeholder="ZhangSan" data-testid="wecom-manual-userid" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
