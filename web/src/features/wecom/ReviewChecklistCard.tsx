import { Card, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMobileSettings } from './useWecomMobile';

const ITEMS = ['firstPage', 'account', 'privacy', 'icp', 'domains'] as const;

/**
 * What WeChat's code review asks for when the mini program is submitted (提交审核), in one place:
 * the app can only be associated with WeCom once it is published, so review blocks every customer.
 */
export function ReviewChecklistCard() {
  const { t } = useTranslation();
  const host = window.location.host;
  const orgName = useMobileSettings().data?.orgName || t('wecom.review.noOrgName');
  return (
    <Card title={t('wecom.review.title')} size="small" data-testid="wecom-review-checklist">
      <List
        size="small"
        dataSource={[...ITEMS]}
        renderItem={(k) => (
          <List.Item>
            <List.Item.Meta
              title={t(`wecom.review.${k}.title`)}
              description={<Typography.Text type="secondary" style={{ fontSize: 13 }}>{t(`wecom.review.${k}.text`, { host, orgName })}</Typography.Text>}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
