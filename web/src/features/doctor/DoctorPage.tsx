import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, MinusCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import { DoctorUrlSchema, type DoctorCheckView, type DoctorStatus } from '@shulan/shared';
import { Alert, Button, Card, Checkbox, Flex, Form, Input, List, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useReviewer } from '../wecom/useReviewer';
import { useRunDoctor } from './useDoctor';

const ICONS: Record<DoctorStatus, React.ReactNode> = {
  ok: <CheckCircleFilled style={{ color: '#52c41a', fontSize: 18 }} />,
  warn: <ExclamationCircleFilled style={{ color: '#faad14', fontSize: 18 }} />,
  fail: <CloseCircleFilled style={{ color: '#ff4d4f', fontSize: 18 }} />,
  skip: <MinusCircleOutlined style={{ color: 'rgba(0,0,0,0.35)', fontSize: 18 }} />,
};
const URL_KEY = 'shulan.doctor.url';

/** 系统设置 → 上线检查: `shulan doctor` from the browser, each check ✓ ! ✗ – with what to do. */
export function DoctorPage() {
  const { t } = useTranslation();
  const run = useRunDoctor();
  const reviewer = useReviewer();
  const [url, setUrl] = useState(() => localStorage.getItem(URL_KEY) ?? '');
  const [released, setReleased] = useState<boolean | null>(null);
  // What the settings say until the admin says otherwise.
  useEffect(() => {
    if (released === null && reviewer.data) setReleased(reviewer.data.released);
  }, [released, reviewer.data]);
  const urlOk = DoctorUrlSchema.safeParse(url).success;

  const onRun = () => {
    localStorage.setItem(URL_KEY, url.trim());
    run.mutate({ url: url.trim(), ...(released === null ? {} : { released }) });
  };
  const report = run.data;
  const failed = report?.checks.filter((c) => c.status === 'fail').length ?? 0;

  return (
    <>
      <PageHeader title={t('menu.doctor')} subTitle={t('doctor.subtitle')} />
      <Flex vertical gap={16} style={{ maxWidth: 960 }}>
        <Card>
          <Form layout="vertical" onFinish={onRun}>
            <Form.Item
              label={t('doctor.url')}
              validateStatus={url === '' || urlOk ? undefined : 'error'}
              help={url === '' || urlOk ? t('doctor.urlHelp') : t('doctor.urlInvalid')}
            >
              <Flex gap={8}>
                <Input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://bi.example.com" maxLength={300} data-testid="doctor-url" />
                <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} loading={run.isPending} disabled={!urlOk} data-testid="doctor-run">
                  {t('doctor.run')}
                </Button>
              </Flex>
            </Form.Item>
            <Checkbox checked={released ?? false} onChange={(e) => setReleased(e.target.checked)} data-testid="doctor-released">
              {t('doctor.released')}
            </Checkbox>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('doctor.cliHint')} <Typography.Text code>npx shulan doctor --url {urlOk ? url.trim() : 'https://bi.example.com'}</Typography.Text>
          </Typography.Paragraph>
        </Card>
        <ErrorAlert error={run.error} />
        {report ? (
          <Card
            title={t('doctor.resultTitle', { url: report.url })}
            extra={<Typography.Text type="secondary">{dayjs(report.ranAt).format('YYYY-MM-DD HH:mm:ss')}</Typography.Text>}
            data-testid="doctor-report"
            data-ok={report.ok}
          >
            <Alert
              type={report.ok ? 'success' : 'error'}
              showIcon
              title={report.ok ? t('doctor.ready') : t('doctor.notReady', { n: failed })}
              style={{ marginBottom: 12 }}
            />
            <List size="small" dataSource={report.checks} renderItem={(c) => <CheckLine check={c} />} />
          </Card>
        ) : null}
      </Flex>
    </>
  );
}

function CheckLine({ check }: { check: DoctorCheckView }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid={`doctor-check-${check.id}`} data-status={check.status}>
      <List.Item.Meta
        avatar={ICONS[check.status]}
        title={check.title}
        description={
          <>
            <Typography.Text type={check.status === 'fail' ? 'danger' : check.status === 'warn' ? 'warning' : 'secondary'}>{check.detail}</Typography.Text>
            {check.fix ? (
              <Typography.Paragraph style={{ margin: '4px 0 0' }}>
                <Typography.Text strong>{t('doctor.fix')}</Typography.Text>
                {check.fix}
              </Typography.Paragraph>
            ) : null}
          </>
        }
      />
    </List.Item>
  );
}
