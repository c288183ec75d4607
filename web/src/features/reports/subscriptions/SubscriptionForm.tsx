import type { ReportFilter, SubscriptionBodyInput, SubscriptionSchedule, SubscriptionView } from '@shulan/shared';
import { Alert, App, Checkbox, Form, Input, Modal, Select, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/apiClient';
import type { FilterValue } from '../../../api/types';
import { useGroups, useUserOptions } from '../../users/useUsers';
import { useSaveSubscription, useWecomDepartments } from './useSubscriptions';

interface Props {
  reportId: string;
  reportFilters: ReportFilter[];
  /** The filter values on the report page now: a new subscription starts from them. */
  pageFilters: Record<string, FilterValue>;
  editing: SubscriptionView | null;
  onClose(): void;
}

type Kind = SubscriptionSchedule['kind'];

/** Create or change a subscription: schedule (China time), recipients, filters, on/off. */
export function SubscriptionForm({ reportId, reportFilters, pageFilters, editing, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSaveSubscription(reportId);
  const s = editing?.schedule;
  const [kind, setKind] = useState<Kind>(s?.kind ?? 'daily');
  const [time, setTime] = useState(s && s.kind !== 'cron' ? s.time : '08:00');
  const [weekday, setWeekday] = useState(s?.kind === 'weekly' ? s.weekday : 1);
  const [day, setDay] = useState<number | 'last'>(s?.kind === 'monthly' ? s.day : 1);
  const [cron, setCron] = useState(s?.kind === 'cron' ? s.cron : '0 8 * * 1-5');
  const [title, setTitle] = useState(editing?.title ?? '');
  const [users, setUsers] = useState<string[]>(editing?.recipients.users ?? []);
  const [groups, setGroups] = useState<string[]>(editing?.recipients.groups ?? []);
  const [departments, setDepartments] = useState<number[]>(editing?.recipients.departments ?? []);
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [usePage, setUsePage] = useState(!editing);
  const [q, setQ] = useState('');
  const userOptions = useUserOptions(q);
  const groupList = useGroups();
  const depts = useWecomDepartments();
  const [known, setKnown] = useState<Record<string, string>>({});
  const options = (userOptions.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));
  const labelOf = (id: string) => options.find((o) => o.value === id)?.label ?? known[id] ?? id;
  const filters = usePage ? pageFilters : (editing?.filters ?? {});
  const filterText = reportFilters
    .filter((f) => filters[f.id] != null)
    .map((f) => `${f.label}: ${JSON.stringify(filters[f.id])}`)
    .join('；');

  const schedule = (): SubscriptionSchedule =>
    kind === 'daily' ? { kind, time } : kind === 'weekly' ? { kind, time, weekday } : kind === 'monthly' ? { kind, time, day } : { kind, cron };

  const submit = () => {
    const body: SubscriptionBodyInput = {
      title: title.trim() || null,
      schedule: schedule(),
      recipients: { users, groups, departments },
      filters: filters as SubscriptionBodyInput['filters'],
      enabled,
    };
    save.mutate(
      { id: editing?.id ?? null, body },
      { onSuccess: () => { void message.success(t('common.saved')); onClose(); }, onError: (err) => void message.error(errorMessage(err)) },
    );
  };

  return (
    <Modal open title={editing ? t('subscriptions.editTitle') : t('subscriptions.addTitle')} onCancel={onClose} onOk={submit} confirmLoading={save.isPending} destroyOnHidden width={640}>
      <Form layout="vertical" data-testid="subscription-form">
        <Form.Item label={t('subscriptions.schedule')} extra={t('subscriptions.timezone')}>
          <Space wrap>
            <Select<Kind>
              value={kind}
              onChange={setKind}
              style={{ width: 120 }}
              data-testid="subscription-kind"
              options={(['daily', 'weekly', 'monthly', 'cron'] as const).map((k) => ({ value: k, label: t(`subscriptions.kinds.${k}`) }))}
            />
            {kind === 'weekly' && (
              <Select value={weekday} onChange={setWeekday} style={{ width: 100 }} options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`subscriptions.weekdays.${d}`) }))} />
            )}
            {kind === 'monthly' && (
              <Select<number | 'last'>
                value={day}
                onChange={setDay}
                style={{ width: 120 }}
                options={[...Array.from({ length: 28 }, (_, i) => ({ value: i + 1 as number | 'last', label: t('subscriptions.dayN', { n: i + 1 }) })), { value: 'last', label: t('subscriptions.lastDay') }]}
              />
            )}
            {kind === 'cron' ? (
              <Input value={cron} onChange={(e) => setCron(e.target.value)} style={{ width: 200 }} placeholder="0 8 * * 1-5" data-testid="subscription-cron" />
            ) : (
              <Input type="time" value={time} onChange={(e) => setTime(e.target.value)} style={{ width: 120 }} data-testid="subscription-time" />
            )}
          </Space>
        </Form.Item>
        <Form.Item label={t('subscriptions.users')}>
          <Select
            mode="multiple"
            data-testid="subscription-users"
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
        <Form.Item label={t('subscriptions.groups')}>
          <Select mode="multiple" value={groups} showSearch={{ optionFilterProp: 'label' }} options={(groupList.data ?? []).map((g) => ({ value: g.id, label: g.name }))} onChange={setGroups} />
        </Form.Item>
        <Form.Item label={t('subscriptions.departments')} extra={t('subscriptions.departmentsHelp')}>
          <Select mode="multiple" value={departments} showSearch={{ optionFilterProp: 'label' }} options={(depts.data ?? []).map((d) => ({ value: d.id, label: d.name }))} onChange={setDepartments} />
        </Form.Item>
        <Form.Item label={t('subscriptions.cardTitle')} extra={t('subscriptions.cardTitleHelp')}>
          <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={12} data-testid="subscription-title" />
        </Form.Item>
        <Form.Item label={t('subscriptions.filters')}>
          {editing && <Checkbox checked={usePage} onChange={(e) => setUsePage(e.target.checked)}>{t('subscriptions.usePageFilters')}</Checkbox>}
          <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>{filterText || t('subscriptions.noFilters')}</Typography.Paragraph>
        </Form.Item>
        <Form.Item label={t('subscriptions.enabled')}>
          <Switch checked={enabled} onChange={setEnabled} />
        </Form.Item>
        <Alert type="info" showIcon title={t('subscriptions.accessHint')} />
      </Form>
    </Modal>
  );
}
