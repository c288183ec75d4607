import { Alert, Button, Checkbox, Form, Select, Skeleton, App } from 'antd';
import { DepartmentPicker } from '../../permissions/DepartmentPicker';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/apiClient';
import type { ReportGrants as Grants } from '../../../api/types';
import { useGroups, useUserOptions } from '../../users/useUsers';
import { useGrants, useSaveGrants } from '../useReports';

/** Who may see the report: users and groups. Editors and admins always see every report. */
export function GrantsTab({ reportId }: { reportId: string }) {
  const grants = useGrants(reportId);
  if (grants.isPending) return <Skeleton active />;
  if (grants.error) return <Alert type="error" showIcon title={errorMessage(grants.error)} />;
  return <GrantsForm key={reportId} reportId={reportId} initial={grants.data} />;
}

function GrantsForm({ reportId, initial }: { reportId: string; initial: Grants }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [users, setUsers] = useState(initial.users);
  const [groups, setGroups] = useState(initial.groups);
  const [subDepartments, setSubDepartments] = useState(initial.subDepartments ?? []);
  const [q, setQ] = useState('');
  const userOptions = useUserOptions(q);
  const groupList = useGroups();
  const save = useSaveGrants(reportId);
  // Keep labels for users picked earlier even when the current search no longer returns them.
  const [known, setKnown] = useState<Record<string, string>>({});
  const options = (userOptions.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));
  const labelOf = (id: string) => options.find((o) => o.value === id)?.label ?? known[id] ?? id;
  // WeCom departments are picked in their tree; the other groups in a plain list.
  const allGroups = groupList.data ?? [];
  const isDept = (id: string) => allGroups.some((g) => g.id === id && g.source === 'wecom_department');
  const manualIds = groups.filter((id) => !isDept(id));
  const deptIds = groups.filter(isDept);

  return (
    <Form layout="vertical" style={{ maxWidth: 640 }}>
      <Alert type="info" showIcon title={t('grants.hint')} style={{ marginBottom: 16 }} />
      <Form.Item label={t('grants.users')}>
        <Select
          mode="multiple"
          data-testid="grant-users"
          value={users}
          placeholder={t('grants.searchUsers')}
          showSearch={{ filterOption: false, onSearch: setQ }}
          loading={userOptions.isFetching}
          options={[...options, ...users.filter((id) => !options.some((o) => o.value === id)).map((id) => ({ value: id, label: labelOf(id) }))]}
          onChange={(ids: string[]) => {
            setKnown((k) => ({ ...k, ...Object.fromEntries(ids.map((id) => [id, labelOf(id)])) }));
            setUsers(ids);
          }}
        />
      </Form.Item>
      <Form.Item label={t('grants.groups')}>
        <Select
          mode="multiple"
          data-testid="grant-groups"
          value={manualIds}
          showSearch={{ optionFilterProp: 'label' }}
          loading={groupList.isPending}
          options={allGroups.filter((g) => g.source !== 'wecom_department').map((g) => ({ value: g.id, label: g.name }))}
          onChange={(ids: string[]) => setGroups([...ids, ...deptIds])}
        />
      </Form.Item>
      <Form.Item label={t('grants.departments')} extra={t('grants.departmentsHelp')}>
        <DepartmentPicker
          groups={allGroups}
          value={deptIds}
          testId="grant-departments"
          onChange={(ids) => {
            setGroups([...manualIds, ...ids]);
            setSubDepartments((s) => s.filter((id) => ids.includes(id)));
          }}
        />
      </Form.Item>
      {deptIds.length > 0 && (
        <Form.Item label={t('grants.subDepartments')}>
          <Checkbox.Group
            value={subDepartments}
            onChange={(v) => setSubDepartments(v as string[])}
            options={deptIds.map((id) => ({ value: id, label: allGroups.find((g) => g.id === id)?.name ?? id }))}
            data-testid="grant-sub-departments"
          />
        </Form.Item>
      )}
      <Button
        type="primary"
        loading={save.isPending}
        data-testid="grant-save"
        onClick={() =>
          save.mutate(
            { users, groups, subDepartments },
            { onSuccess: () => void message.success(t('grants.saved')), onError: (err) => void message.error(errorMessage(err)) },
          )
        }
      >
        {t('grants.save')}
      </Button>
    </Form>
  );
}
