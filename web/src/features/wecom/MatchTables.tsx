import type { WecomMatchCandidate, WecomMatchCategory, WecomMatchPage } from '@shulan/shared';
import { Select, Table, type TablePaginationConfig } from 'antd';
import { useTranslation } from 'react-i18next';
import { UserCell } from './MatchParts';

type Sure = Extract<WecomMatchPage, { category: 'sure' }>['items'][number];
type Ambiguous = Extract<WecomMatchPage, { category: 'ambiguous' }>['items'][number];
type Conflict = Extract<WecomMatchPage, { category: 'conflicts' }>['items'][number];
type NoMatch = Extract<WecomMatchPage, { category: 'noMatch' }>['items'][number];

const TEST_IDS: Record<WecomMatchCategory, string> = {
  sure: 'wecom-match-sure',
  ambiguous: 'wecom-match-ambiguous',
  conflicts: 'wecom-match-conflicts',
  noMatch: 'wecom-match-nomatch',
};

interface Props {
  category: WecomMatchCategory;
  /** The page of this category, or null while another tab's page is on screen. */
  page: WecomMatchPage | null;
  loading: boolean;
  offset: number;
  pageSize: number;
  onPage: (offset: number, limit: number) => void;
  /** After confirming, the choices are frozen. */
  locked: boolean;
  isChecked: (userId: string) => boolean;
  onCheck: (userId: string, checked: boolean) => void;
  pickOf: (userId: string) => string | undefined;
  onPick: (userId: string, label: string, wecomUserid: string | undefined) => void;
}

const memberLabel = (c: WecomMatchCandidate) => `${c.wecomName}（${c.wecomUserid}）${c.departments.length ? ` · ${c.departments.join('、')}` : ''}`;

/** One category of the matching preview, paged by the server. */
export function MatchTable(p: Props) {
  const { t } = useTranslation();
  const pagination: TablePaginationConfig = {
    current: Math.floor(p.offset / p.pageSize) + 1,
    pageSize: p.pageSize,
    total: p.page?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100, 200],
    hideOnSinglePage: false,
    onChange: (current, size) => p.onPage(size !== p.pageSize ? 0 : (current - 1) * size, size),
  };
  const common = { rowKey: 'userId', size: 'small' as const, loading: p.loading, pagination, 'data-testid': TEST_IDS[p.category] };

  switch (p.category) {
    case 'sure': {
      const items = p.page?.category === 'sure' ? p.page.items : [];
      return (
        <Table<Sure>
          {...common}
          dataSource={items}
          rowSelection={{
            selectedRowKeys: items.filter((s) => p.isChecked(s.userId)).map((s) => s.userId),
            onSelect: (s, checked) => p.onCheck(s.userId, checked),
            onSelectAll: (checked) => items.forEach((s) => p.onCheck(s.userId, checked)),
            getCheckboxProps: () => ({ disabled: p.locked }),
          }}
          columns={[
            { title: t('wecom.match.user'), key: 'user', render: (_, s) => <UserCell name={s.displayName} username={s.username} /> },
            { title: t('wecom.match.member'), key: 'member', render: (_, s) => <UserCell name={s.wecomName} username={s.wecomUserid} /> },
            { title: t('wecom.match.departments'), key: 'departments', render: (_, s) => s.departments.join('、') },
          ]}
        />
      );
    }
    case 'ambiguous': {
      const page = p.page?.category === 'ambiguous' ? p.page : null;
      const groups = new Map(page?.groups.map((g) => [g.key, g]));
      return (
        <Table<Ambiguous>
          {...common}
          dataSource={page?.items ?? []}
          columns={[
            { title: t('wecom.match.user'), key: 'user', render: (_, a) => <UserCell name={a.displayName} username={a.username} /> },
            { title: t('wecom.match.reason'), key: 'reason', render: (_, a) => groups.get(a.group)?.reason },
            {
              title: t('wecom.match.pick'),
              key: 'pick',
              width: 340,
              render: (_, a) => (
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  style={{ width: 320 }}
                  placeholder={t('wecom.match.pickPlaceholder')}
                  disabled={p.locked}
                  value={p.pickOf(a.userId)}
                  onChange={(v?: string) => p.onPick(a.userId, `${a.displayName}（${a.username}）`, v)}
                  data-testid={`wecom-match-pick-${a.username}`}
                  options={(groups.get(a.group)?.candidates ?? []).map((c) => ({
                    value: c.wecomUserid,
                    // A member matched with someone else cannot be picked here.
                    disabled: c.boundUserId !== null,
                    label: `${memberLabel(c)}${c.boundUserId ? ` · ${t('wecom.match.boundElsewhere')}` : ''}`,
                  }))}
                />
              ),
            },
          ]}
        />
      );
    }
    case 'conflicts':
      return (
        <Table<Conflict>
          {...common}
          dataSource={p.page?.category === 'conflicts' ? p.page.items : []}
          columns={[
            { title: t('wecom.match.username'), dataIndex: 'username' },
            { title: t('wecom.match.member'), dataIndex: 'wecomUserid' },
            { title: t('wecom.match.reason'), dataIndex: 'reason' },
          ]}
        />
      );
    case 'noMatch':
      return (
        <Table<NoMatch>
          {...common}
          dataSource={p.page?.category === 'noMatch' ? p.page.items : []}
          columns={[
            { title: t('wecom.match.username'), dataIndex: 'username' },
            { title: t('wecom.match.reason'), dataIndex: 'reason' },
          ]}
        />
      );
  }
}
