import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Form, Input, Modal, Popconfirm, Radio, Select, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../../api/apiClient';
import type { CreateDatasetBody, DatasetView, Field } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useDatasources, useDatasourceTables } from '../datasources/useDatasources';
import { CalculatedFields } from './CalculatedFields';
import { SqlEditor } from './SqlEditor';
import { useMe } from '../../auth/useAuth';
import { DatasetPermissionsTab } from '../permissions/DatasetPermissionsTab';
import { useCreateDataset, useDataset, useDatasetPreview, useDatasets, useDeleteDataset } from './useDatasets';

export function DatasetsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useDatasets();
  const sources = useDatasources();
  const remove = useDeleteDataset();
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const sourceName = (id: string) => {
    const s = sources.data?.find((x) => x.id === id);
    return s ? (s.kind === 'embedded' ? t('datasources.embeddedName') : s.name) : id;
  };

  return (
    <>
      <PageHeader
        title={t('datasets.title')}
        subTitle={t('datasets.subtitle')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="dataset-new">
            {t('datasets.add')}
          </Button>
        }
      />
      <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />
      <Table<DatasetView>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(r) => ({ onClick: () => setOpenId(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('datasets.name'), dataIndex: 'name', render: (v: string) => <Typography.Link>{v}</Typography.Link> },
          { title: t('datasets.source'), dataIndex: 'datasourceId', render: (id: string, r) => (id === 'embedded' ? t('datasources.embeddedName') : r.datasourceName ?? sourceName(id)) },
          { title: t('datasets.kind'), dataIndex: 'kind', render: (k: DatasetView['kind']) => <Tag>{k === 'sql' ? 'SQL' : t('datasets.kindTable')}</Tag> },
          { title: t('datasets.fields'), render: (_, r) => r.fields.length },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: (v?: string) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—') },
          {
            title: t('common.actions'),
            width: 80,
            render: (_, r) => (
              <span onClick={(e) => e.stopPropagation()}>
                <Popconfirm
                  title={t('datasets.deleteConfirm', { name: r.name })}
                  onConfirm={() =>
                    remove.mutate(r.id, {
                      onSuccess: () => void message.success(t('common.deleted')),
                      onError: (err) => void message.error(errorMessage(err)),
                    })
                  }
                >
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </span>
            ),
          },
        ]}
      />
      {creating ? <CreateDatasetModal onClose={() => setCreating(false)} /> : null}
      <DatasetDrawer datasetId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}

function CreateDatasetModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateDatasetBody>();
  const sources = useDatasources();
  const create = useCreateDataset();
  const datasourceId = Form.useWatch('datasourceId', form);
  const kind = Form.useWatch('kind', form) ?? 'table';
  const tables = useDatasourceTables(datasourceId);

  const handleOk = async () => {
    const v = await form.validateFields();
    create.mutate(v, {
      onSuccess: () => {
        void message.success(t('common.saved'));
        onClose();
      },
      onError: (err) => void message.error(errorMessage(err)),
    });
  };

  return (
    <Modal open title={t('datasets.addTitle')} onCancel={onClose} onOk={() => void handleOk()} confirmLoading={create.isPending} width={kind === 'sql' ? 1000 : 640} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ kind: 'table' }}>
        <Form.Item name="name" label={t('datasets.name')} rules={[{ required: true, max: 100 }]}>
          <Input data-testid="dataset-name" />
        </Form.Item>
        <Form.Item name="datasourceId" label={t('datasets.source')} rules={[{ required: true }]}>
          <Select
            data-testid="dataset-source"
            loading={sources.isPending}
            options={(sources.data ?? []).map((s) => ({ value: s.id, label: s.kind === 'embedded' ? t('datasources.embeddedName') : s.name }))}
          />
        </Form.Item>
        <Form.Item name="kind" label={t('datasets.kind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'table', label: t('datasets.fromTable') },
              { value: 'sql', label: t('datasets.fromSql') },
            ]}
          />
        </Form.Item>
        {kind === 'table' ? (
          <Form.Item name="table" label={t('datasets.table')} rules={[{ required: true }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={tables.isFetching}
              disabled={!datasourceId}
              options={(tables.data ?? []).map((tb) => ({ value: tb.name, label: tb.displayName ?? tb.name }))}
            />
          </Form.Item>
        ) : (
          <Form.Item name="sql" label="SQL" rules={[{ required: true, max: 20000 }]} extra={t('datasets.sqlHint')}>
            <SqlEditor source={sources.data?.find((s) => s.id === datasourceId)} />
          </Form.Item>
        )}
        {tables.error ? <ErrorAlert error={tables.error} /> : null}
      </Form>
    </Modal>
  );
}

function DatasetDrawer({ datasetId, onClose }: { datasetId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const dataset = useDataset(datasetId ?? undefined);
  const preview = useDatasetPreview(datasetId ?? undefined);
  const previewColumns = (preview.data?.fields ?? dataset.data?.fields ?? []).map((f) => f.name);
  const [editingSql, setEditingSql] = useState(false);
  const me = useMe();
  return (
    <Drawer open={!!datasetId} onClose={onClose} size="large" title={dataset.data?.name ?? ''} destroyOnHidden>
      <ErrorAlert error={dataset.error} />
      {dataset.data?.sql ? (
        <>
          <Typography.Paragraph code copyable style={{ whiteSpace: 'pre-wrap' }}>
            {dataset.data.sql}
          </Typography.Paragraph>
          <Button size="small" onClick={() => setEditingSql(true)} style={{ marginBottom: 12 }} data-testid="dataset-edit-sql">
            {t('sqlEditor.editSql')}
          </Button>
          {editingSql ? <EditSqlModal dataset={dataset.data} onClose={() => setEditingSql(false)} /> : null}
        </>
      ) : null}
      <Tabs
        items={[
          {
            key: 'fields',
            label: t('datasets.fields'),
            children: (
              <Table
                size="small"
                rowKey="name"
                loading={dataset.isPending}
                pagination={false}
                dataSource={dataset.data?.fields ?? []}
                columns={[
                  { title: t('datasets.fieldName'), dataIndex: 'name', render: (v: string, f: Field) => (f.calculated ? `ƒ ${v}` : v) },
                  { title: t('datasets.fieldType'), dataIndex: 'type', render: (v: string) => <Tag>{t(`fieldTypes.${v}`)}</Tag> },
                ]}
              />
            ),
          },
          ...(dataset.data ? [{ key: 'calc', label: t('calc.tab'), children: <CalculatedFields dataset={dataset.data} /> }] : []),
          {
            key: 'preview',
            label: t('datasets.preview'),
            children: preview.error ? (
              <ErrorAlert error={preview.error} />
            ) : (
              <Table
                size="small"
                rowKey={(_, i) => String(i)}
                loading={preview.isPending}
                scroll={{ x: 'max-content' }}
                pagination={{ pageSize: 20, size: 'small' }}
                dataSource={preview.data?.rows ?? []}
                columns={previewColumns.map((c) => ({
                  key: c,
                  dataIndex: c,
                  title: c,
                  render: (v: unknown) => (v === null || v === undefined ? '—' : String(v)),
                }))}
              />
            ),
          },
          // Row and column permissions: admins only (the server refuses others too).
          ...(me.data?.role === 'admin' && datasetId && dataset.data
            ? [{ key: 'permissions', label: t('permissions.tab'), children: <DatasetPermissionsTab datasetId={datasetId} fields={dataset.data.fields} /> }]
            : []),
        ]}
      />
    </Drawer>
  );
}

/** Changes the SQL of a SQL dataset in the SQL editor; its fields are read again on save. */
function EditSqlModal({ dataset, onClose }: { dataset: DatasetView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const sources = useDatasources();
  const qc = useQueryClient();
  const [text, setText] = useState(dataset.sql ?? '');
  const save = useMutation({
    mutationFn: () => api.put<DatasetView>(`/datasets/${dataset.id}`, { sql: text }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['datasets'] });
      void message.success(t('common.saved'));
      onClose();
    },
    onError: (err) => void message.error(errorMessage(err)),
  });
  return (
    <Modal open title={t('sqlEditor.editSql')} onCancel={onClose} onOk={() => save.mutate()} confirmLoading={save.isPending} width={1000} destroyOnHidden>
      <SqlEditor source={sources.data?.find((s) => s.id === dataset.datasourceId)} value={text} onChange={setText} />
    </Modal>
  );
}
