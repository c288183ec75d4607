import { DeleteOutlined, EditOutlined, PlusOutlined, TagsOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { GroupAttributesModal } from '../permissions/AttributesModals';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import type { GroupView } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDeleteGroup, useGroupMembers, useGroups, useSaveGroup, useSaveGroupMembers, useUserOptions } from './useUsers';

export function GroupsPanel() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const groups = useGroups();
  const remove = useDeleteGroup();
  const [editing, setEditing] = useState<GroupView | 'new' | null>(null);
  const [members, setMembers] = useState<GroupView | null>(null);
  const [attributes, setAttributes] = useState<GroupView | null>(null);

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="group-new">
          {t('groups.add')}
        </Button>
      </Space>
      <ErrorAlert error={groups.error} />
      <Table<GroupView>
        rowKey="id"
        loading={groups.isPending}
        dataSource={groups.data ?? []}
        pagination={false}
        columns={[
          {
            title: t('groups.name'),
            dataIndex: 'name',
            render: (v: string, g) => (g.source === 'wecom_department' ? <Space>{v}<Tag color="cyan">{t('permissions.department')}</Tag></Space> : v),
          },
          { title: t('groups.description'), dataIndex: 'description', render: (v: string | null) => v || '—' },
          { title: t('groups.members'), dataIndex: 'memberCount', render: (v?: number) => v ?? '—' },
          {
            title: t('common.actions'),
            width: 260,
            render: (_, g) => (
              <Space>
                {/* WeCom departments are kept by the sync: only their attributes are set here. */}
                {g.source !== 'wecom_department' && (
                  <Button size="small" icon={<TeamOutlined />} onClick={() => setMembers(g)}>
                    {t('groups.editMembers')}
                  </Button>
                )}
                <Button size="small" icon={<TagsOutlined />} onClick={() => setAttributes(g)} data-testid="group-attributes">
                  {t('permissions.attributes')}
                </Button>
                {g.source !== 'wecom_department' && (
                  <>
                    <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(g)} aria-label={t('common.edit')} />
                    <Popconfirm title={t('groups.deleteConfirm', { name: g.name })} onConfirm={() => remove.mutate(g.id, { onError: (e) => void message.error(errorMessage(e)) })}>
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing ? <GroupFormModal editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {members ? <MembersModal group={members} onClose={() => setMembers(null)} /> : null}
      {attributes ? <GroupAttributesModal group={attributes} onClose={() => setAttributes(null)} /> : null}
    </>
  );
}

function GroupFormModal({ editing, onClose }: { editing: GroupView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; description?: string }>();
  const save = useSaveGroup(editing?.id);
  const handleOk = async () => {
    const v = await form.validateFields();
    save.mutate(
      { name: v.name, ...(v.description ? { description: v.description } : {}) },
      { onSuccess: onClose, onError: (e) => void message.error(errorMessage(e)) },
    );
  };
  return (
    <Modal open title={editing ? t('groups.editTitle') : t('groups.addTitle')} onCancel={onClose} onOk={() => void handleOk()} confirmLoading={save.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ name: editing?.name ?? '', description: editing?.description ?? '' }}>
        <Form.Item name="name" label={t('groups.name')} rules={[{ required: true, max: 64 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('groups.description')} rules={[{ max: 500 }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function MembersModal({ group, onClose }: { group: GroupView; onClose: () => void }) {
  const current = useGroupMembers(group.id);
  if (current.isPending) return null;
  return <MembersForm group={group} initial={current.data ?? []} onClose={onClose} />;
}

function MembersForm({ group, initial, onClose }: { group: GroupView; initial: { id: string; username: string; displayName: string }[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [ids, setIds] = useState(initial.map((u) => u.id));
  const [q, setQ] = useState('');
  const options = useUserOptions(q);
  const save = useSaveGroupMembers(group.id);
  const known = new Map([...initial, ...(options.data ?? [])].map((u) => [u.id, `${u.displayName} (${u.username})`]));
  return (
    <Modal
      open
      title={t('groups.membersOf', { name: group.name })}
      onCancel={onClose}
      confirmLoading={save.isPending}
      onOk={() => save.mutate(ids, { onSuccess: onClose, onError: (e) => void message.error(errorMessage(e)) })}
      destroyOnHidden
    >
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        value={ids}
        showSearch={{ filterOption: false, onSearch: setQ }}
        loading={options.isFetching}
        options={[...known].map(([value, label]) => ({ value, label }))}
        onChange={(v: string[]) => setIds(v)}
        placeholder={t('grants.searchUsers')}
      />
    </Modal>
  );
}
