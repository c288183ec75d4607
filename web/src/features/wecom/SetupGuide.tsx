import { Card, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * The four things to prepare outside Shulan, in the order of the help page (企业微信集成):
 * HTTPS domain, mini program, association in WeCom, then the three values on this page.
 */
export function SetupGuide() {
  const { t } = useTranslation();
  const host = window.location.host;
  const steps = (['domain', 'miniprogram', 'associate', 'values'] as const).map((k) => ({
    title: t(`wecom.guide.${k}.title`),
    content: (
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {t(`wecom.guide.${k}.text`, { host })}
      </Typography.Text>
    ),
    status: 'process' as const,
  }));
  return (
    <Card title={t('wecom.guide.title')} size="small" data-testid="wecom-guide">
      <Steps orientation="vertical" size="small" current={-1} items={steps} />
    </Card>
  );
}
