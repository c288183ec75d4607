import { ImportOutlined, LinkOutlined } from '@ant-design/icons';
import { Button, Card, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { PeopleTable } from '../users/PeopleTable';
import { ImportUsersModal } from './ImportUsersModal';

/** 企业域管理 → 人员信息: everyone with their WeCom match, and bulk import. */
export function PersonnelPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [importing, setImporting] = useState(false);
  return (
    <>
      <PageHeader title={t('menu.personnel')} subTitle={t('personnel.subtitle')} />
      <Card>
        <PeopleTable
          showWecom
          toolbar={
            <Space>
              <Button icon={<LinkOutlined />} onClick={() => void navigate('/personnel/wecom-matching')} data-testid="personnel-bulk-match">
                {t('menu.wecomMatching')}
              </Button>
              <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="personnel-import">
                {t('import.button')}
              </Button>
            </Space>
          }
        />
      </Card>
      {importing ? <ImportUsersModal onClose={() => setImporting(false)} /> : null}
    </>
  );
}
