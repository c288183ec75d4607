import type { DatasourceView } from '@shulan/shared';
import { App, Alert, Button, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { useCreateDatasource, useTestDatasource, useUpdateDatasource } from './useDatasources';

const DEFAULT_PORT = { postgres: 5432, mysql: 3306 } as const;
/** Settings that decide where the password is sent: changing one needs the password again. */
const RETARGETING_FIELDS = ['host', 'port', 'database', 'user', 'ssl'] as const;

interface Values {
  name: string;
  kind: 'postgres' | 'mysql';
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  ssl: boolean;
}

/** Add or edit a PostgreSQL/MySQL connection. The password is write-only: left empty, the stored one stays. */
export function DatasourceForm({ editing, onClose }: { editing: DatasourceView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const create = useCreateDatasource();
  const update = useUpdateDatasource(editing?.id);
  const test = useTestDatasource(editing?.id);
  const [testResult, setTestResult] = useState<{ ok: boolean; text: string; warnings: string[] } | null>(null);
  const watched = Form.useWatch((v: Partial<Values>) => v, form);

  const initial: Partial<Values> = editing
    ? {
        name: editing.name,
        kind: editing.kind === 'mysql' ? 'mysql' : 'postgres',
        host: editing.host ?? '',
        port: editing.port ?? DEFAULT_PORT.postgres,
        database: editing.database ?? '',
        user: editing.user ?? '',
        ssl: editing.ssl,
      }
    : { kind: 'postgres', host: '127.0.0.1', port: DEFAULT_PORT.postgres, ssl: false };

  // The server keeps the stored password only for the place it was saved for; elsewhere it must be typed again.
  const retargeted =
    !!editing?.hasPassword &&
    !!watched &&
    RETARGETING_FIELDS.some((k) => watched[k] !== undefined && watched[k] !== initial[k]);

  /** Connection settings without name/kind; an empty password means "keep the stored one". */
  const connection = (v: Values) => ({
    host: v.host,
    port: v.port,
    database: v.database,
    user: v.user,
    ssl: v.ssl ?? false,
    ...(v.password ? { password: v.password } : {}),
  });

  const handleTest = async () => {
    const v = await form.validateFields();
    setTestResult(null);
    test.mutate(editing ? connection(v) : { kind: v.kind, ...connection(v) }, {
      onSuccess: (r) =>
        setTestResult({ ok: r.ok, text: r.ok && r.version ? `${r.message} (${r.version})` : r.message, warnings: r.warnings }),
      onError: (err) => setTestResult({ ok: false, text: errorMessage(err), warnings: [] }),
    });
  };

  const handleSave = async () => {
    const v = await form.validateFields();
    const done = {
      onSuccess: () => {
        void message.success(t('common.saved'));
        onClose();
      },
      onError: (err: Error) => void message.error(errorMessage(err)),
    };
    if (editing) update.mutate({ name: v.name, ...connection(v) }, done);
    else create.mutate({ name: v.name, kind: v.kind, ...connection(v) }, done);
  };

  return (
    <Modal
      open
      title={editing ? t('datasources.editTitle') : t('datasources.addTitle')}
      onCancel={onClose}
      width={600}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={() => void handleTest()} loading={test.isPending} data-testid="datasource-test">
            {t('datasources.test')}
          </Button>
          <Button type="primary" onClick={() => void handleSave()} loading={create.isPending || update.isPending} data-testid="datasource-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onValuesChange={() => setTestResult(null)}>
        <Row gutter={12}>
          <Col span={14}>
            <Form.Item name="name" label={t('datasources.name')} rules={[{ required: true, max: 64 }]}>
              <Input data-testid="datasource-name" />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="kind" label={t('datasources.kind')}>
              <Select
                disabled={!!editing}
                options={[
                  { value: 'postgres', label: 'PostgreSQL' },
                  { value: 'mysql', label: 'MySQL / MariaDB' },
                ]}
                onChange={(kind: 'postgres' | 'mysql') => form.setFieldValue('port', DEFAULT_PORT[kind])}
              />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="host" label={t('datasources.host')} rules={[{ required: true, max: 255 }]}>
              <Input data-testid="datasource-host" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="port" label={t('datasources.port')} rules={[{ required: true }]}>
              <InputNumber min={1} max={65535} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="database" label={t('datasources.database')} rules={[{ required: true, max: 128 }]}>
              <Input data-testid="datasource-database" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="user" label={t('datasources.user')} rules={[{ required: true, max: 128 }]}>
              <Input autoComplete="off" data-testid="datasource-user" />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              name="password"
              label={t('datasources.password')}
              extra={retargeted ? t('datasources.passwordAgain') : editing?.hasPassword ? t('datasources.passwordKeep') : undefined}
              rules={[{ required: retargeted, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                autoComplete="new-password"
                placeholder={editing?.hasPassword && !retargeted ? t('datasources.passwordSet') : ''}
                data-testid="datasource-password"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="ssl" label="SSL" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {testResult ? <Alert type={testResult.ok ? 'success' : 'error'} showIcon title={testResult.text} data-testid="datasource-test-result" /> : null}
      {testResult && testResult.warnings.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          title={t('datasources.writeWarning')}
          description={
            <>
              <ul style={{ margin: '4px 0', paddingLeft: 20 }}>
                {testResult.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
              {t('datasources.writeWarningHint')}
            </>
          }
          data-testid="datasource-test-warnings"
        />
      ) : null}
    </Modal>
  );
}
