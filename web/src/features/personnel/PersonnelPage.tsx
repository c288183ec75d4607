import { ImportOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';
import { PeopleTable } from '../users/PeopleTable';
import { ImportUsersModal } from './ImportUsersModal';

/** 企业域管理 → 人员信息: everyone with their WeCom match, and bulk import. */
export function PersonnelPage() {
  const { t } = useTranslation();
  const [importing, setImporting] = useState(false);
  return (
    <>
      <PageHeader title={t('menu.personnel')} subTitle={t('personnel.subtitle')} />
      <Card>
        <PeopleTable
          showWecom
          toolbar={
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="personnel-import">
              {t('import.button')}
            </Button>
          }
        />
      </Card>
      {importing ? <ImportUsersModal onClose={() => setImporting(false)} /> : null}
    </>
  );
}
