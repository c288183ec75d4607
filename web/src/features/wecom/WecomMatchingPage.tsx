import { CheckOutlined, EyeOutlined } from '@ant-design/icons';
import type { WecomMatchBy, WecomMatchCategory, WecomMatchConfirmResult, WecomMatchPage } from '@shulan/shared';
import { Alert, App, Badge, Button, Card, Flex, Input, Radio, Tabs, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ConfirmResult } from './MatchParts';
import { MatchTable } from './MatchTables';
import { useMatchConfirm, useMatchPreview, type MatchPageRequest } from './useWecomMatching';

const CATEGORIES: { key: WecomMatchCategory; color: string }[] = [
  { key: 'sure', color: '#52c41a' },
  { key: 'ambiguous', color: '#faad14' },
  { key: 'conflicts', color: '#ff4d4f' },
  { key: 'noMatch', color: '#8c8c8c' },
];

type Pair = { wecomUserid: string; label: string };

/**
 * 企业微信匹配: by mobile or by name, always a dry run first. The server sends counts and one page
 * at a time (a 100,000-person company fits no browser in one piece). Sure matches are checked as
 * their page is seen and stay so unless unticked; picks among ambiguous ones are made by hand
 * (never "first one wins"); both are kept across pages and tabs until confirmed.
 */
export function WecomMatchingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [by, setBy] = useState<WecomMatchBy>('name');
  const [req, setReq] = useState<MatchPageRequest | null>(null);
  const preview = useMatchPreview(req);
  const confirm = useMatchConfirm();
  // Sure rows seen on some page (checked unless unticked), and picks among ambiguous candidates.
  const [seenSure, setSeenSure] = useState<Map<string, Pair>>(new Map());
  const [unticked, setUnticked] = useState<Set<string>>(new Set());
  const [picks, setPicks] = useState<Map<string, Pair>>(new Map());
  const [result, setResult] = useState<WecomMatchConfirmResult | null>(null);
  const data = preview.data;

  const runPreview = () => {
    setResult(null);
    setSeenSure(new Map());
    setUnticked(new Set());
    setPicks(new Map());
    setReq((r) => ({ by, run: (r?.run ?? 0) + 1, category: 'sure', offset: 0, limit: r?.limit ?? 50, q: '' }));
  };

  // All sure matches start checked: each is remembered the first time its page is shown.
  useEffect(() => {
    if (data?.page.category !== 'sure' || data.page.items.length === 0) return;
    const items = data.page.items;
    setSeenSure((prev) => {
      if (items.every((s) => prev.has(s.userId))) return prev;
      const next = new Map(prev);
      for (const s of items) if (!next.has(s.userId)) next.set(s.userId, { wecomUserid: s.wecomUserid, label: `${s.displayName}（${s.username}）` });
      return next;
    });
  }, [data]);

  const pairs = useMemo(() => {
    const out: { userId: string; wecomUserid: string }[] = [];
    for (const [userId, p] of seenSure) if (!unticked.has(userId)) out.push({ userId, wecomUserid: p.wecomUserid });
    for (const [userId, p] of picks) out.push({ userId, wecomUserid: p.wecomUserid });
    return out;
  }, [seenSure, unticked, picks]);

  // Names for the result table, from the pages the pairs came from.
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const [id, p] of seenSure) m.set(id, p.label);
    for (const [id, p] of picks) m.set(id, p.label);
    return m;
  }, [seenSure, picks]);

  const onConfirm = () =>
    req &&
    confirm.mutate(
      // The pairs came from this preview, so its basis is what the audit log records.
      { by: req.by, pairs },
      {
        onSuccess: (r) => {
          setResult(r);
          void message.success(t('wecom.match.confirmed', { n: r.bound }));
        },
        onError: (e) => void message.error(errorMessage(e)),
      },
    );

  const tabLabel = (key: WecomMatchCategory, n: number, color: string) => (
    <span data-testid={`wecom-match-tab-${key}`}>
      {t(`wecom.match.tabs.${key}`)} <Badge count={n} showZero color={color} overflowCount={999999} />
    </span>
  );

  // The page on screen belongs to the tab shown (while the next page loads, the last one stays).
  const shown: WecomMatchPage | null = data && req && data.page.category === req.category ? data.page : null;

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
            <Button icon={<EyeOutlined />} onClick={runPreview} loading={preview.isFetching && !data} data-testid="wecom-match-preview">
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

        {data && req ? (
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
            <Input.Search
              // A new press of 预览匹配 starts unfiltered, so the box starts empty too.
              key={req.run}
              allowClear
              style={{ maxWidth: 360 }}
              placeholder={t('wecom.match.filterPlaceholder')}
              data-testid="wecom-match-filter"
              onSearch={(q) => setReq((r) => r && { ...r, q: q.trim(), offset: 0 })}
            />
            <Tabs
              activeKey={req.category}
              onChange={(k) => setReq((r) => r && { ...r, category: k as WecomMatchCategory, offset: 0 })}
              items={CATEGORIES.map(({ key, color }) => ({
                key,
                label: tabLabel(key, data.counts[key], color),
                children: (
                  <MatchTable
                    category={key}
                    page={shown?.category === key ? shown : null}
                    loading={preview.isFetching}
                    pageSize={req.limit}
                    offset={req.offset}
                    onPage={(offset, limit) => setReq((r) => r && { ...r, offset, limit })}
                    locked={result !== null}
                    isChecked={(userId) => !unticked.has(userId)}
                    onCheck={(userId, checked) =>
                      setUnticked((prev) => {
                        const next = new Set(prev);
                        if (checked) next.delete(userId);
                        else next.add(userId);
                        return next;
                      })
                    }
                    pickOf={(userId) => picks.get(userId)?.wecomUserid}
                    onPick={(userId, label, wecomUserid) =>
                      setPicks((prev) => {
                        const next = new Map(prev);
                        if (wecomUserid) next.set(userId, { wecomUserid, label });
                        else next.delete(userId);
                        return next;
                      })
                    }
                  />
                ),
              }))}
            />
          </Card>
        ) : null}
      </Flex>
    </>
  );
}
