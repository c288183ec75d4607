import { Col, Flex, Row, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { MiniProgramCard } from './MiniProgramCard';
import { ReviewChecklistCard } from './ReviewChecklistCard';
import { ReviewerCard } from './ReviewerCard';
import { SetupGuide } from './SetupGuide';
import { VerificationFilesCard } from './VerificationFilesCard';
import { WecomSettingsForm } from './WecomSettingsForm';
import { WecomSyncPanel } from './WecomSyncPanel';
import { WecomWebLoginCard } from './WecomWebLoginCard';

const TABS = ['config', 'sync'] as const;
type Tab = (typeof TABS)[number];

/** 系统设置 → 企业微信集成设置: the integration values, then the address-book sync (?tab=sync). */
export function WecomSettingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'sync' ? 'sync' : 'config';
  return (
    <>
      <PageHeader title={t('menu.wecomSettings')} subTitle={t('wecom.subtitle')} />
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === 'config' ? {} : { tab: k }, { replace: true })}
        items={[
          {
            key: 'config',
            label: <span data-testid="wecom-tab-config">{t('wecom.tabs.config')}</span>,
            children: (
              <Row gutter={[16, 16]}>
                <Col xs={24} xl={15}>
                  <Flex vertical gap={16}>
                    <WecomSettingsForm />
                    <VerificationFilesCard />
                    <MiniProgramCard />
                    <WecomWebLoginCard />
                    <ReviewerCard />
                  </Flex>
                </Col>
                <Col xs={24} xl={9}>
                  <Flex vertical gap={16}>
                    <SetupGuide />
                    <ReviewChecklistCard />
                  </Flex>
                </Col>
              </Row>
            ),
          },
          { key: 'sync', label: <span data-testid="wecom-tab-sync">{t('wecom.tabs.sync')}</span>, children: <WecomSyncPanel /> },
        ]}
      />
    </>
  );
}
