import type { RuleSubjects } from '@shulan/shared';
import { Checkbox, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useGroups, useUserOptions } from '../users/useUsers';

/** Who a rule applies to: everyone, users, groups or WeCom departments (with their sub-departments). */
export function SubjectsPicker({ value, onChange }: { value: RuleSubjects; onChange: (v: RuleSubjects) => void }) {
  const { t } = useTranslation();
  const groups = useGroups();
  const [q, setQ] = useState('');
  const users = useUserOptions(q);
  const [known, setKnown] = useState<Record<string, string>>({});
  const userOptions = (users.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));
  const labelOf = (id: string) => userOptions.find((o) => o.value === id)?.label ?? known[id] ?? id;
  return (
    <Space wrap>
      <Checkbox checked={value.everyone} onChange={(e) => onChange({ ...value, everyone: e.target.checked })} data-testid="subjects-everyone">
        {t('permissions.everyone')}
      </Checkbox>
      {!value.everyone && (
        <>
          <Select
            mode="multiple"
            style={{ minWidth: 220 }}
            placeholder={t('permissions.users')}
            value={value.users}
            showSearch={{ filterOption: false, onSearch: setQ }}
            options={[...userOptions, ...value.users.filter((id) => !userOptions.some((o) => o.value === id)).map((id) => ({ value: id, label: labelOf(id) }))]}
            onChange={(ids: string[]) => {
              setKnown((k) => ({ ...k, ...Object.fromEntries(ids.map((id) => [id, labelOf(id)])) }));
              onChange({ ...value, users: ids });
            }}
          />
          <Select
            mode="multiple"
            style={{ minWidth: 260 }}
            placeholder={t('permissions.groupsOrDepartments')}
            value={value.groups}
            showSearch={{ optionFilterProp: 'label' }}
            options={(groups.data ?? []).map((g) => ({
              value: g.id,
              label: g.source === 'wecom_department' ? `${t('permissions.department')} · ${g.name}` : g.name,
            }))}
            onChange={(ids: string[]) => onChange({ ...value, groups: ids })}
            data-testid="subjects-groups"
          />
        </>
      )}
    </Space>
  );
}
