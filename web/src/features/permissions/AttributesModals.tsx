import type { Attributes } from '@shulan/shared';
import { App, Button, Descriptions, Modal, Skeleton, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { AttributesEditor, AttributesList, fromRows, toRows } from './AttributesEditor';
import { useGroupAttributes, useSaveGroupAttributes, useSaveUserAttributes, useUserAttributes } from './usePermissions';

/** A user's attributes: from WeCom, inherited from groups and departments, set here, and in effect. */
export function UserAttributesModal({ user, onClose }: { user: { id: string; displayName: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const attrs = useUserAttributes(user.id);
  return (
    <Modal open width={720} title={t('permissions.userAttrsTitle', { name: user.displayName })} onCancel={onClose} footer={null} destroyOnHidden>
      {attrs.isPending || !attrs.data ? <Skeleton active /> : <UserAttributesBody userId={user.id} data={attrs.data} onClose={onClose} />}
    </Modal>
  );
}

function UserAttributesBody({ userId, data, onClose }: { userId: string; data: NonNullable<ReturnType<typeof useUserAttributes>['data']>; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rows, setRows] = useState(toRows(data.own));
  const save = useSaveUserAttributes(userId);
  return (
    <>
      <Descriptions column={1} bordered size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('permissions.groupsNow')}>
          {data.groups.length ? data.groups.map((g) => <Tag key={g.id} color={g.source === 'wecom_department' ? 'cyan' : undefined}>{g.name}</Tag>) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('permissions.fromDirectory')}>
          <AttributesList attrs={data.directory} />
        </Descriptions.Item>
        <Descriptions.Item label={t('permissions.inherited')}>
          <AttributesList attrs={data.inherited} />
        </Descriptions.Item>
        <Descriptions.Item label={t('permissions.effective')}>
          <AttributesList attrs={data.effective} />
        </Descriptions.Item>
      </Descriptions>
      <div style={{ marginBottom: 8 }}>{t('permissions.ownAttrs')}</div>
      <AttributesEditor rows={rows} onChange={setRows} />
      <div style={{ textAlign: 'right', marginTop: 16 }}>
        <Button
          type="primary"
          loading={save.isPending}
          onClick={() =>
            save.mutate(fromRows(rows), {
              onSuccess: () => {
                void message.success(t('common.saved'));
                onClose();
              },
              onError: (e) => void message.error(errorMessage(e)),
            })
          }
          data-testid="attrs-save"
        >
          {t('common.save')}
        </Button>
      </div>
    </>
  );
}

/** Attributes of a group or WeCom department; members (and sub-departments) inherit them. */
export function GroupAttributesModal({ group, onClose }: { group: { id: string; name: string }; onClose: () => void }) {
  const attrs = useGroupAttributes(group.id);
  if (attrs.isPending || !attrs.data) return null;
  return <GroupAttributesForm group={group} initial={attrs.data.attributes} onClose={onClose} />;
}

function GroupAttributesForm({ group, initial, onClose }: { group: { id: string; name: string }; initial: Attributes; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [rows, setRows] = useState(toRows(initial));
  const save = useSaveGroupAttributes(group.id);
  return (
    <Modal
      open
      width={640}
      title={t('permissions.groupAttrsTitle', { name: group.name })}
      onCancel={onClose}
      confirmLoading={save.isPending}
      onOk={() => save.mutate(fromRows(rows), { onSuccess: onClose, onError: (e) => void message.error(errorMessage(e)) })}
      okButtonProps={{ id: 'group-attrs-ok' }}
      destroyOnHidden
    >
      <p>{t('permissions.groupAttrsHint')}</p>
      <AttributesEditor rows={rows} onChange={setRows} />
    </Modal>
  );
}
