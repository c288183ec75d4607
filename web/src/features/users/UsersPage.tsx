import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { GroupsPanel } from './GroupsPanel';
import { PeopleTable } from './PeopleTable';

export function UsersPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('menu.users')} subTitle={t('users.subtitle')} />
      <Card>
        <Tabs
          items={[
            { key: 'users', label: t('users.tab'), children: <PeopleTable /> },
            { key: 'groups', label: <span data-testid="tab-groups">{t('groups.tab')}</span>, children: <GroupsPanel /> },
          ]}
        />
      </Card>
    </>
  );
}
