import { CheckOutlined, EyeOutlined } from '@ant-design/icons';
import type { WecomMatchBy, WecomMatchConfirmResult, WecomMatchPreview } from '@shulan/shared';
import { Alert, App, Badge, Button, Card, Flex, Radio, Select, Table, Tabs, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ConfirmResult, UserCell } from './MatchParts';
import { PageHeader } from '../../components/PageHeader';
import { useMatchConfirm, useMatchPreview } from './useWecomMatching';

type Sure = WecomMatchPreview['sure'][number];
type Ambiguous = WecomMatchPreview['ambiguous'][number];
type Conflict = WecomMatchPreview['conflicts'][number];
type NoMatch = WecomMatchPreview['noMatch'][number];

/**
 * 企业微信匹配: by mobile or by name, always a dry run first. Sure matches are pre-checked;
 * ambiguous ones are picked by hand (never "first one wins"); confirm then reports per pair.
 */
export function WecomMatchingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [by, setBy] = useState<WecomMatchBy>('name');
  const preview = useMatchPreview();
  const confirm = useMatchConfirm();
  const [selected, setSelected] = useState<string[]>([]);
  const [picks, setPicks] = useState<Record<string, string | undefined>>({});
  const [result, setResult] = useState<WecomMatchConfirmResult | null>(null);
  const data = preview.data;

  const runPreview = () => {
    setResult(null);
    preview.mutate(by, {
      onSuccess: (p) => {
        // All sure matches start checked; the admin unticks what they do not want.
        setSelected(p.sure.map((s) => s.userId));
        setPicks({});
      },
    });
  };

  const pairs = useMemo(() => {
    if (!data) return [];
    const sure = data.sure.filter((s) => selected.includes(s.userId)).map((s) => ({ userId: s.userId, wecomUserid: s.wecomUserid }));
    const picked = Object.entries(picks).flatMap(([userId, wecomUserid]) => (wecomUserid ? [{ userId, wecomUserid }] : []));
    return [...sure, ...picked];
  }, [data, selected, picks]);

  // Names for the result table, from the preview the pairs came from.
  const names = useMemo(() => {
    const m = new Map<string, string>();
    data?.sure.forEach((s) => m.set(s.userId, `${s.displayName}（${s.username}）`));
    data?.ambiguous.forEach((a) => m.set(a.userId, `${a.displayName}（${a.username}）`));
    return m;
  }, [data]);

  const onConfirm = () =>
    data &&
    confirm.mutate(
      // The pairs came from this preview, so its basis is what the audit log records.
      { by: data.by, pairs },
      {
        onSuccess: (r) => {
          setResult(r);
          void message.success(t('wecom.match.confirmed', { n: r.bound }));
        },
        onError: (e) => void message.error(errorMessage(e)),
      },
    );

  const tabLabel = (key: string, n: number, color: string) => (
    <span data-testid={`wecom-match-tab-${key}`}>
      {t(`wecom.match.tabs.${key}`)} <Badge count={n} showZero color={color} overflowCount={9999} />
    </span>
  );

  return (
    <>
      <PageHeader title={t('menu.wecomMatching')} subTitle={t('wecom.match.subtitle')} />
      <Flex vertical gap={16}>
        <Card>
          <Typography.Paragraph type="secondary">
            {t('wecom.match.help')} <Link to="/settings/wecom?tab=sync">{t('wecom.match.syncLink')}</Link>
          </Typography.Paragraph>
          <Flex gap={12} align="center" wrap>
            <Radio.Group
              value={by}
              optionType="button"
              onChange={(e) => setBy(e.target.value as WecomMatchBy)}
              options={[
                { value: 'mobile', label: <span data-testid="wecom-match-by-mobile">{t('wecom.match.byMobile')}</span> },
                { value: 'name', label: <span data-testid="wecom-match-by-name">{t('wecom.match.byName')}</span> },
              ]}
            />
            <Button icon={<EyeOutlined />} onClick={runPreview} loading={preview.isPending} data-testid="wecom-match-preview">
              {t('wecom.match.preview')}
            </Button>
          </Flex>
          {by === 'mobile' ? (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              {t('wecom.match.mobileHint')}
            </Typography.Paragraph>
          ) : null}
          <ErrorAlert error={preview.error} style={{ marginTop: 12 }} />
        </Card>

        {data ? (
          <Card
            title={t('wecom.match.previewTitle', { by: t(data.by === 'mobile' ? 'wecom.match.byMobile' : 'wecom.match.byName') })}
            data-testid="wecom-match-result"
            extra={
              <Button
                type="primary"
                icon={<CheckOutlined />}
                disabled={pairs.length === 0 || result !== null}
                loading={confirm.isPending}
                onClick={onConfirm}
                data-testid="wecom-match-confirm"
              >
                {t('wecom.match.confirm', { n: pairs.length })}
              </Button>
            }
          >
            {data.stopped ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={data.stopped.message}
                description={t('wecom.match.stopped', { checked: data.stopped.checked, total: data.stopped.total })}
              />
            ) : null}
            {result ? <ConfirmResult result={result} names={names} /> : null}
            <Tabs
              items={[
                {
                  key: 'sure',
                  label: tabLabel('sure', data.sure.length, '#52c41a'),
                  children: (
                    <Table<Sure>
                      rowKey="userId"
                      size="small"
                      dataSource={data.sure}
                      data-testid="wecom-match-sure"
                      pagination={{ pageSize: 50, hideOnSinglePage: true }}
                      rowSelection={{
                        selectedRowKeys: selected,
                        onChange: (keys) => setSelected(keys.map(String)),
                        getCheckboxProps: () => ({ disabled: result !== null }),
                      }}
                      columns={[
                        { title: t('wecom.match.user'), key: 'user', render: (_, s) => <UserCell name={s.displayName} username={s.username} /> },
                        { title: t('wecom.match.member'), key: 'member', render: (_, s) => <UserCell name={s.wecomName} username={s.wecomUserid} /> },
                      ]}
                    />
                  ),
                },
                {
                  key: 'ambiguous',
                  label: tabLabel('ambiguous', data.ambiguous.length, '#faad14'),
                  children: (
                    <Table<Ambiguous>
                      rowKey="userId"
                      size="small"
                      dataSource={data.ambiguous}
                      data-testid="wecom-match-ambiguous"
                      pagination={{ pageSize: 50, hideOnSinglePage: true }}
                      columns={[
                        { title: t('wecom.match.user'), key: 'user', render: (_, a) => <UserCell name={a.displayName} username={a.username} /> },
                        { title: t('wecom.match.reason'), dataIndex: 'reason' },
                        {
                          title: t('wecom.match.pick'),
                          key: 'pick',
                          width: 300,
                          render: (_, a) => (
                            <Select
                              allowClear
                              style={{ width: 280 }}
                              placeholder={t('wecom.match.pickPlaceholder')}
                              disabled={result !== null}
                              value={picks[a.userId]}
                              onChange={(v?: string) => setPicks((p) => ({ ...p, [a.userId]: v }))}
                              data-testid={`wecom-match-pick-${a.username}`}
                              options={a.candidates.map((c) => ({
                                value: c.wecomUserid,
                                // A member matched with someone else cannot be picked here.
                                disabled: c.boundUserId !== null,
                                label: `${c.wecomName}（${c.wecomUserid}）${c.boundUserId ? ` · ${t('wecom.match.boundElsewhere')}` : ''}`,
                              }))}
                            />
                          ),
                        },
                      ]}
                    />
                  ),
                },
                {
                  key: 'conflicts',
                  label: tabLabel('conflicts', data.conflicts.length, '#ff4d4f'),
                  children: (
                    <Table<Conflict>
                      rowKey="userId"
                      size="small"
                      dataSource={data.conflicts}
                      data-testid="wecom-match-conflicts"
                      pagination={{ pageSize: 50, hideOnSinglePage: true }}
                      columns={[
                        { title: t('wecom.match.username'), dataIndex: 'username' },
                        { title: t('wecom.match.member'), dataIndex: 'wecomUserid' },
                        { title: t('wecom.match.reason'), dataIndex: 'reason' },
                      ]}
                    />
                  ),
                },
                {
                  key: 'noMatch',
                  label: tabLabel('noMatch', data.noMatch.length, '#8c8c8c'),
                  children: (
                    <Table<NoMatch>
                      rowKey="userId"
                      size="small"
                      dataSource={data.noMatch}
                      data-testid="wecom-match-nomatch"
                      pagination={{ pageSize: 50, hideOnSinglePage: true }}
                      columns={[
                        { title: t('wecom.match.username'), dataIndex: 'username' },
                        { title: t('wecom.match.reason'), dataIndex: 'reason' },
                      ]}
                    />
                  ),
                },
              ]}
            />
          </Card>
        ) : null}
      </Flex>
    </>
  );
}
