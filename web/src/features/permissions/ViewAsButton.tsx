import { EyeOutlined } from '@ant-design/icons';
import type { ViewAsTicket } from '@shulan/shared';
import { Alert, App, Button, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { useUserOptions } from '../users/useUsers';
import { useViewAs } from './usePermissions';

/** 以他人身份查看: an admin picks a user and sees the report's data as they would (read-only, audited). */
export function ViewAsButton({ reportId, onTicket }: { reportId: string; onTicket: (t: ViewAsTicket) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [userId, setUserId] = useState<string | undefined>();
  const users = useUserOptions(q);
  const viewAs = useViewAs(reportId);
  return (
    <>
      <Button icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="view-as">
        {t('permissions.viewAs')}
      </Button>
      <Modal
        open={open}
        title={t('permissions.viewAsTitle')}
        onCancel={() => setOpen(false)}
        okButtonProps={{ disabled: !userId, id: 'view-as-ok' }}
        confirmLoading={viewAs.isPending}
        onOk={() =>
          viewAs.mutate(userId!, {
            onSuccess: (ticket) => {
              onTicket(ticket);
              setOpen(false);
            },
            onError: (e) => void message.error(errorMessage(e)),
          })
        }
        destroyOnHidden
      >
        <Alert type="info" showIcon title={t('permissions.viewAsHint')} style={{ marginBottom: 12 }} />
        <Select
          style={{ width: '100%' }}
          value={userId}
          placeholder={t('grants.searchUsers')}
          showSearch={{ filterOption: false, onSearch: setQ }}
          loading={users.isFetching}
          options={(users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))}
          onChange={(v: string) => setUserId(v)}
          data-testid="view-as-user"
        />
      </Modal>
    </>
  );
}

/** The banner while viewing as someone: whose eyes, and the way back. */
export function ViewAsBanner({ ticket, onExit }: { ticket: ViewAsTicket; onExit: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="view-as-banner"
      title={t('permissions.viewingAs', { name: `${ticket.user.displayName} (${ticket.user.username})` })}
      action={
        <Button size="small" onClick={onExit} data-testid="view-as-exit">
          {t('permissions.viewAsExit')}
        </Button>
      }
    />
  );
}
