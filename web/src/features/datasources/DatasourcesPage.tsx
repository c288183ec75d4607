import { CloudUploadOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import type { DatasourceView } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { DatasourceForm } from './DatasourceForm';
import { UploadWizard } from './UploadWizard';
import { UploadedTables } from './UploadedTables';
import { useDatasources, useDeleteDatasource, useEmbeddedTables } from './useDatasources';

const KIND_LABEL = { embedded: null, postgres: 'PostgreSQL', mysql: 'MySQL' } as const;

export function DatasourcesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useDatasources();
  const remove = useDeleteDatasource();
  const uploaded = useEmbeddedTables();
  const [editing, setEditing] = useState<DatasourceView | 'new' | null>(null);
  // The upload button opens the file picker first; choosing a file opens the import dialog.
  const [uploading, setUploading] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <>
      <PageHeader
        title={t('datasources.title')}
        subTitle={t('datasources.subtitle')}
        extra={
          <Space>
            <Button icon={<CloudUploadOutlined />} onClick={() => fileInput.current?.click()} data-testid="upload-open">
              {t('upload.button')}
            </Button>
            <input
              ref={fileInput}
              type="file"
              accept=".csv,.xlsx,.xls,.tsv,.txt"
              data-testid="upload-input"
              style={{ display: 'none' }}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) setUploading(file);
              }}
            />
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="datasource-new">
              {t('datasources.add')}
            </Button>
          </Space>
        }
      />
      <ErrorAlert error={list.error} style={{ marginBottom: 16 }} />
      <Table<DatasourceView>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data ?? []}
        pagination={false}
        // 上传的数据 is a source like the others: its tables are listed under it.
        expandable={{
          rowExpandable: (r) => r.kind === 'embedded',
          expandedRowRender: () => <UploadedTables />,
          showExpandColumn: true,
        }}
        columns={[
          { title: t('datasources.name'), dataIndex: 'name', render: (v: string, r) => (r.kind === 'embedded' ? t('datasources.embeddedName') : v) },
          {
            title: t('datasources.kind'),
            dataIndex: 'kind',
            render: (k: DatasourceView['kind']) => (k === 'embedded' ? <Tag color="blue">{t('datasources.embedded')}</Tag> : <Tag>{KIND_LABEL[k]}</Tag>),
          },
          {
            title: t('datasources.address'),
            render: (_, r) =>
              r.kind === 'embedded' ? (
                <span data-testid="uploaded-count">{t('datasources.uploadedCount', { n: uploaded.data?.length ?? 0 })}</span>
              ) : (
                `${r.user ?? ''}@${r.host ?? ''}:${r.port ?? ''}/${r.database ?? ''}`
              ),
          },
          {
            title: t('datasources.password'),
            render: (_, r) => (r.kind === 'embedded' ? '—' : r.hasPassword ? <Tag color="green">{t('datasources.passwordSet')}</Tag> : <Tag>{t('datasources.passwordNone')}</Tag>),
          },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: (v?: string) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—') },
          {
            title: t('common.actions'),
            width: 120,
            render: (_, r) =>
              r.kind === 'embedded' ? null : (
                <Space>
                  <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={t('common.edit')} />
                  <Popconfirm
                    title={t('datasources.deleteConfirm', { name: r.name })}
                    onConfirm={() => remove.mutate(r.id, { onError: (err) => void message.error(errorMessage(err)) })}
                  >
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />
      {editing ? <DatasourceForm editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {uploading ? <UploadWizard initialFile={uploading} onClose={() => setUploading(null)} /> : null}
    </>
  );
}
