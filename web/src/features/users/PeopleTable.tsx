import { CheckCircleOutlined, DisconnectOutlined, EditOutlined, KeyOutlined, LinkOutlined, StopOutlined, TagsOutlined } from '@ant-design/icons';
import { ROLES, USER_STATUSES, type PersonnelQuery, type UserView } from '@shulan/shared';
import { App, Button, Flex, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { useMe } from '../../auth/useAuth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ManualMatchModal } from '../wecom/ManualMatchModal';
import { useUnmatch } from '../wecom/useWecomBindings';
import { ResetPasswordModal, UserFormModal } from './UserFormModal';
import { UserAttributesModal } from '../permissions/AttributesModals';
import { useGroups, usePersonnel, useUpdateUser } from './useUsers';

const ROLE_COLORS = { admin: 'red', editor: 'blue', viewer: 'default' } as const;

/** Server-paged list of people with search and filters; used by 用户与用户组 and 人员信息. */
export function PeopleTable({ showWecom, toolbar }: { showWecom?: boolean; toolbar?: ReactNode }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const [params, setParams] = useState<Partial<PersonnelQuery>>({ limit: 20, offset: 0 });
  const [q, setQ] = useState('');
  const people = usePersonnel(params);
  const groups = useGroups();
  const update = useUpdateUser();
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const [matching, setMatching] = useState<UserView | null>(null);
  const [attributes, setAttributes] = useState<UserView | null>(null);
  const unmatch = useUnmatch();
  const setFilter = (patch: Partial<PersonnelQuery>) => setParams((p) => ({ ...p, ...patch, offset: 0 }));
  const limit = params.limit ?? 20;

  const doUnmatch = (u: UserView) =>
    unmatch.mutate(u.id, {
      onSuccess: (r) => void message.success(t('wecom.manual.unmatched', { name: u.displayName, n: r.sessionsEnded })),
      onError: (e) => void message.error(errorMessage(e)),
    });

  const toggleStatus = (u: UserView) =>
    update.mutate(
      { userId: u.id, status: u.status === 'active' ? 'disabled' : 'active' },
      { onError: (e) => void message.error(errorMessage(e)) },
    );

  const columns: TableColumnsType<UserView> = [
    {
      title: t('users.displayName'),
      dataIndex: 'displayName',
      fixed: 'left',
      render: (v: string, u) => (
        <Flex vertical>
          <span>{v}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {u.username}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('users.role'), dataIndex: 'role', render: (r: UserView['role']) => <Tag color={ROLE_COLORS[r]}>{t(`roles.${r}`)}</Tag> },
    {
      title: t('users.status'),
      dataIndex: 'status',
      render: (s: UserView['status']) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(`statuses.${s}`)}</Tag>,
    },
    { title: t('users.mobile'), dataIndex: 'mobile', render: (v: string | null) => v ?? '—' },
    { title: t('users.email'), dataIndex: 'email', render: (v: string | null) => v ?? '—', ellipsis: true },
    {
      title: t('users.groups'),
      dataIndex: 'groups',
      render: (gs: UserView['groups']) => (gs.length ? gs.map((g) => <Tag key={g.id}>{g.name}</Tag>) : '—'),
    },
  ];
  if (showWecom) {
    columns.push({
      title: t('personnel.wecomBlock'),
      children: [
        {
          title: t('personnel.wecomUserid'),
          key: 'wecomUserid',
          render: (_, u) => (u.wecom ? u.wecom.userid : <Tag>{t('personnel.unmatched')}</Tag>),
        },
        { title: t('personnel.wecomName'), key: 'wecomName', render: (_, u) => <span data-testid="personnel-wecom-name">{u.wecom?.name ?? '—'}</span> },
        {
          title: t('personnel.wecomDepartments'),
          key: 'wecomDepartments',
          render: (_, u) => (u.wecom?.departments.length ? u.wecom.departments.map((d) => <Tag key={d}>{d}</Tag>) : '—'),
        },
        {
          title: t('personnel.matchSource'),
          key: 'matchSource',
          render: (_, u) => (u.wecom ? <Tag color="cyan">{t(`personnel.sources.${u.wecom.source}`)}</Tag> : '—'),
        },
        {
          title: t('personnel.matchedAt'),
          key: 'matchedAt',
          render: (_, u) => (u.wecom ? dayjs(u.wecom.matchedAt).format('YYYY-MM-DD HH:mm') : '—'),
        },
      ],
    });
  }
  // The WeCom block needs the width; the creation date is only shown on the plain users list.
  if (!showWecom) columns.push({ title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD') });
  columns.push(
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      width: showWecom ? 170 : 130,
      render: (_, u) => (
        <Space size={0}>
          {showWecom && !u.wecom ? (
            <Tooltip title={t('wecom.manual.action')}>
              <Button type="text" size="small" icon={<LinkOutlined />} onClick={() => setMatching(u)} data-testid="personnel-match" />
            </Tooltip>
          ) : null}
          {showWecom && u.wecom ? (
            <Popconfirm
              title={t('wecom.manual.unmatchConfirm', { name: u.displayName, userid: u.wecom.userid })}
              description={t('wecom.manual.unmatchHelp')}
              okButtonProps={{ danger: true }}
              onConfirm={() => doUnmatch(u)}
            >
              <Tooltip title={t('wecom.manual.unmatch')}>
                <Button type="text" size="small" danger icon={<DisconnectOutlined />} data-testid="personnel-unmatch" />
              </Tooltip>
            </Popconfirm>
          ) : null}
          <Tooltip title={t('common.edit')}>
            <Button type="text" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)} />
          </Tooltip>
          <Tooltip title={t('permissions.attributes')}>
            <Button type="text" size="small" icon={<TagsOutlined />} onClick={() => setAttributes(u)} data-testid="personnel-attributes" />
          </Tooltip>
          <Tooltip title={t('users.resetPassword')}>
            <Button type="text" size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)} />
          </Tooltip>
          <Tooltip title={u.status === 'active' ? t('users.disable') : t('users.enable')}>
            <Button
              type="text"
              size="small"
              danger={u.status === 'active'}
              icon={u.status === 'active' ? <StopOutlined /> : <CheckCircleOutlined />}
              // Disabling yourself would lock you out mid-session.
              disabled={u.id === me?.id}
              onClick={() => toggleStatus(u)}
            />
          </Tooltip>
        </Space>
      ),
    },
  );

  return (
    <>
      <Flex wrap gap={8} justify="space-between" style={{ marginBottom: 12 }}>
        <Flex wrap gap={8}>
          <Input.Search
            allowClear
            placeholder={t('personnel.search')}
            style={{ width: 260 }}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            // Enter, the search icon and clearing all search on the server.
            onSearch={(v) => setFilter({ q: v.trim() || undefined })}
            data-testid="personnel-search"
          />
          <Select
            allowClear
            placeholder={t('users.status')}
            style={{ width: 120 }}
            value={params.status}
            options={USER_STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))}
            onChange={(status?: PersonnelQuery['status']) => setFilter({ status })}
          />
          <Select
            allowClear
            placeholder={t('users.role')}
            style={{ width: 120 }}
            value={params.role}
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            onChange={(role?: PersonnelQuery['role']) => setFilter({ role })}
          />
          <Select
            allowClear
            placeholder={t('users.group')}
            style={{ width: 160 }}
            value={params.groupId}
            options={(groups.data ?? []).map((g) => ({ value: g.id, label: g.name }))}
            onChange={(groupId?: string) => setFilter({ groupId })}
          />
          {showWecom ? (
            <Select
              allowClear
              placeholder={t('personnel.wecomBlock')}
              style={{ width: 140 }}
              value={params.wecom}
              options={[
                { value: 'matched', label: t('personnel.matched') },
                { value: 'unmatched', label: t('personnel.unmatched') },
              ]}
              onChange={(wecom?: PersonnelQuery['wecom']) => setFilter({ wecom })}
              data-testid="personnel-wecom-filter"
            />
          ) : null}
        </Flex>
        <Space>
          {toolbar}
          <Button type="primary" onClick={() => setEditing('new')} data-testid="user-new">
            {t('users.add')}
          </Button>
        </Space>
      </Flex>
      <ErrorAlert error={people.error} style={{ marginBottom: 12 }} />
      <Table<UserView>
        rowKey="id"
        size="middle"
        bordered={showWecom}
        loading={people.isFetching}
        dataSource={people.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: Math.floor((params.offset ?? 0) / limit) + 1,
          pageSize: limit,
          total: people.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('common.total', { n }),
          onChange: (page, pageSize) => setParams((p) => ({ ...p, limit: pageSize, offset: (page - 1) * pageSize })),
        }}
      />
      {editing ? <UserFormModal editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {resetting ? <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} /> : null}
      {matching ? <ManualMatchModal user={matching} onClose={() => setMatching(null)} /> : null}
      {attributes ? <UserAttributesModal user={attributes} onClose={() => setAttributes(null)} /> : null}
    </>
  );
}
