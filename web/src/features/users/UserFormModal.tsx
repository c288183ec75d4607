import { ROLES, type CreateUserBody, type UpdateUserBody, type UserView } from '@shulan/shared';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { useCreateUser, useGroups, useUpdateUser } from './useUsers';

interface Values {
  username: string;
  displayName: string;
  mobile?: string;
  email?: string;
  role: CreateUserBody['role'];
  password?: string;
  groupIds: string[];
}

/** Create a user, or edit one (username fixed; password only via "reset password"). */
export function UserFormModal({ editing, onClose }: { editing: UserView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const groups = useGroups();
  const create = useCreateUser();
  const update = useUpdateUser();

  const handleOk = async () => {
    const v = await form.validateFields();
    const common = {
      displayName: v.displayName,
      mobile: v.mobile?.trim() ? v.mobile.trim() : null,
      email: v.email?.trim() ? v.email.trim() : null,
      role: v.role,
      groupIds: v.groupIds ?? [],
    };
    const done = {
      onSuccess: () => {
        void message.success(t('common.saved'));
        onClose();
      },
      onError: (err: Error) => void message.error(errorMessage(err)),
    };
    if (editing) update.mutate({ userId: editing.id, ...(common satisfies UpdateUserBody) }, done);
    else create.mutate({ ...common, username: v.username, password: v.password ?? '' }, done);
  };

  return (
    <Modal
      open
      title={editing ? t('users.editTitle') : t('users.addTitle')}
      onCancel={onClose}
      onOk={() => void handleOk()}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={
          editing
            ? { ...editing, mobile: editing.mobile ?? '', email: editing.email ?? '', groupIds: editing.groups.map((g) => g.id) }
            : { role: 'viewer', groupIds: [] }
        }
      >
        <Form.Item name="username" label={t('users.username')} rules={[{ required: true, min: 2, max: 64, pattern: /^[A-Za-z0-9_.@-]+$/, message: t('users.usernameRule') }]}>
          <Input disabled={!!editing} autoComplete="off" data-testid="user-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, max: 64 }]}>
          <Input data-testid="user-display-name" />
        </Form.Item>
        {!editing ? (
          <Form.Item name="password" label={t('users.initialPassword')} rules={[{ required: true, min: 8, max: 256, message: t('users.passwordRule') }]}>
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
        ) : null}
        <Form.Item name="role" label={t('users.role')}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} data-testid="user-role" />
        </Form.Item>
        <Form.Item name="mobile" label={t('users.mobile')}>
          <Input />
        </Form.Item>
        <Form.Item name="email" label={t('users.email')} rules={[{ type: 'email' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="groupIds" label={t('users.groups')}>
          <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Sets a new password for someone who forgot theirs; their sessions end on the server. */
export function ResetPasswordModal({ user, onClose }: { user: UserView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const update = useUpdateUser();
  const handleOk = async () => {
    const { password } = await form.validateFields();
    update.mutate(
      { userId: user.id, password },
      {
        onSuccess: () => {
          void message.success(t('users.passwordReset'));
          onClose();
        },
        onError: (err) => void message.error(errorMessage(err)),
      },
    );
  };
  return (
    <Modal open title={t('users.resetPasswordFor', { name: user.displayName })} onCancel={onClose} onOk={() => void handleOk()} confirmLoading={update.isPending} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="password" label={t('users.newPassword')} rules={[{ required: true, min: 8, max: 256, message: t('users.passwordRule') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
