import { ClockCircleOutlined } from '@ant-design/icons';
import type { WecomSyncScheduleBody } from '@shulan/shared';
import { Alert, App, AutoComplete, Button, Card, Flex, Form, Input, List, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatInZone } from './syncProgress';
import { useSaveSyncSchedule, useSyncSchedule } from './useWecomSync';

/** The help page's default: every day at 02:00, China time. */
const DEFAULT_SCHEDULE: WecomSyncScheduleBody = { cron: '0 2 * * *', timezone: 'Asia/Shanghai' };

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore', 'UTC'];
  }
}

/** Cron + time zone of the daily sync, with its next run times (computed by the server). */
export function SyncSchedule() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const schedule = useSyncSchedule();
  const save = useSaveSyncSchedule();
  const [form] = Form.useForm<WecomSyncScheduleBody>();
  const zones = useMemo(() => timeZones().map((z) => ({ value: z })), []);
  useEffect(() => {
    if (schedule.data) form.setFieldsValue({ cron: schedule.data.cron, timezone: schedule.data.timezone });
  }, [schedule.data, form]);

  const onSave = (v: WecomSyncScheduleBody) =>
    save.mutate(
      { cron: v.cron.trim(), timezone: v.timezone.trim() },
      { onSuccess: () => void message.success(t('common.saved')), onError: (e) => void message.error(errorMessage(e)) },
    );

  return (
    <Card title={t('wecom.sync.scheduleTitle')} loading={schedule.isPending}>
      <ErrorAlert error={schedule.error} style={{ marginBottom: 12 }} />
      {schedule.data && !schedule.data.active ? (
        <Alert type="warning" showIcon title={t('wecom.sync.scheduleInactive')} style={{ marginBottom: 12 }} />
      ) : null}
      <Form<WecomSyncScheduleBody> form={form} layout="vertical" onFinish={onSave} initialValues={DEFAULT_SCHEDULE}>
        <Flex gap={12} wrap align="flex-start">
          <Form.Item name="cron" label={t('wecom.sync.cron')} extra={t('wecom.sync.cronHelp')} rules={[{ required: true, min: 9, max: 100 }]} style={{ width: 220 }}>
            <Input data-testid="wecom-sync-cron" />
          </Form.Item>
          <Form.Item name="timezone" label={t('wecom.sync.timezone')} rules={[{ required: true, max: 64 }]} style={{ width: 220 }}>
            <AutoComplete
              options={zones}
              filterOption={(input, option) => (option?.value ?? '').toLowerCase().includes(input.toLowerCase())}
              data-testid="wecom-sync-timezone"
            />
          </Form.Item>
        </Flex>
        <Flex gap={8} wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="wecom-sync-schedule-save">
            {t('common.save')}
          </Button>
          <Button onClick={() => form.setFieldsValue(DEFAULT_SCHEDULE)}>{t('wecom.sync.resetDefault')}</Button>
        </Flex>
      </Form>
      {schedule.data?.nextRuns.length ? (
        <>
          <Typography.Text strong style={{ display: 'block', marginTop: 16 }}>
            {t('wecom.sync.nextRuns')}
          </Typography.Text>
          <List
            size="small"
            dataSource={schedule.data.nextRuns}
            data-testid="wecom-sync-next-runs"
            renderItem={(iso) => {
              const zone = schedule.data?.timezone ?? 'UTC';
              const inZone = formatInZone(iso, zone);
              const local = dayjs(iso).format('YYYY-MM-DD HH:mm');
              return (
                <List.Item>
                  <span>
                    <ClockCircleOutlined style={{ marginRight: 8 }} />
                    {inZone} <Typography.Text type="secondary">{zone}</Typography.Text>
                    {/* The admin's own clock too, when it differs from the schedule's zone. */}
                    {local !== inZone ? (
                      <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                        {t('wecom.sync.localTime', { time: local })}
                      </Typography.Text>
                    ) : null}
                  </span>
                </List.Item>
              );
            }}
          />
        </>
      ) : null}
    </Card>
  );
}
