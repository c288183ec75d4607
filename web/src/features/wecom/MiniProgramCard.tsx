import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { miniprogramPackageUrl, useMobileSettings, useSaveMobileSettings, type MobileSettings } from './useWecomMobile';
import { useWecomSettings } from './useWecomSettings';

const HTTPS_DOMAIN = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/;

/** Mini program: the code package to upload with WeChat DevTools, and the report watermark. */
export function MiniProgramCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useWecomSettings();
  const mobile = useMobileSettings();
  const saveMobile = useSaveMobileSettings();
  const [domain, setDomain] = useState(`https://${window.location.host}`);
  const [orgName, setOrgName] = useState<string | null>(null);
  const appId = settings.data?.appId ?? null;
  // WeChat only allows https request domains; the package always knows its server.
  const domainOk = HTTPS_DOMAIN.test(domain.trim());
  const save = (patch: Partial<MobileSettings>) => {
    if (!mobile.data) return;
    saveMobile.mutate(
      { ...mobile.data, ...patch },
      {
        onSuccess: () => void message.success(t('common.saved')),
        onError: (e) => void message.error(errorMessage(e)),
      },
    );
  };

  return (
    <Card title={t('wecom.mini.title')}>
      <Form layout="vertical" style={{ maxWidth: 520 }}>
        <Form.Item
          label={t('wecom.mini.domain')}
          validateStatus={domainOk ? undefined : 'error'}
          help={domainOk ? undefined : t('wecom.mini.domainInvalid')}
          extra={appId ? t('wecom.mini.packageHelp', { appId }) : t('wecom.mini.needAppId')}
        >
          <Flex gap={8}>
            <Input
              value={domain}
              onChange={(e) => setDomain(e.target.value)}
              placeholder="https://bi.example.com"
              maxLength={253}
              data-testid="wecom-mini-domain"
            />
            <Button
              icon={<DownloadOutlined />}
              disabled={!appId || !domainOk}
              href={appId && domainOk ? miniprogramPackageUrl(domain) : undefined}
              data-testid="wecom-mini-download"
            >
              {t('wecom.mini.download')}
            </Button>
          </Flex>
        </Form.Item>
        <Form.Item label={t('wecom.mini.orgName')} extra={t('wecom.mini.orgNameHelp')}>
          <Flex gap={8}>
            <Input
              value={orgName ?? mobile.data?.orgName ?? ''}
              onChange={(e) => setOrgName(e.target.value)}
              placeholder={t('wecom.mini.orgNamePlaceholder')}
              maxLength={60}
              disabled={!mobile.data}
              data-testid="wecom-org-name"
            />
            <Button
              loading={saveMobile.isPending}
              disabled={!mobile.data || orgName === null || orgName.trim() === mobile.data.orgName}
              onClick={() => save({ orgName: (orgName ?? '').trim() })}
              data-testid="wecom-org-name-save"
            >
              {t('common.save')}
            </Button>
          </Flex>
        </Form.Item>
        <Form.Item label={t('wecom.mini.watermark')} extra={t('wecom.mini.watermarkHelp')}>
          <Switch
            checked={mobile.data?.watermark ?? true}
            loading={mobile.isPending || saveMobile.isPending}
            disabled={!mobile.data}
            data-testid="wecom-watermark"
            onChange={(watermark) => save({ watermark })}
          />
        </Form.Item>
      </Form>
      <ErrorAlert error={mobile.error} />
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t('wecom.mini.reviewHint')}
      </Typography.Paragraph>
    </Card>
  );
}
