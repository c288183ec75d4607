import { DeleteOutlined } from '@ant-design/icons';
import type { EmbeddedTableView } from '@shulan/shared';
import { App, Button, Popconfirm, Table } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { useDeleteEmbeddedTable, useEmbeddedTables } from './useDatasources';

/** The tables under the 上传的数据 source: each uploaded file imported as a table. */
export function UploadedTables() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const tables = useEmbeddedTables();
  const remove = useDeleteEmbeddedTable();
  return (
    <Table<EmbeddedTableView>
      size="small"
      rowKey="id"
      data-testid="uploaded-tables"
      loading={tables.isPending}
      dataSource={tables.data ?? []}
      pagination={false}
      locale={{ emptyText: t('datasources.uploadedNone') }}
      columns={[
        { title: t('datasources.uploadedTable'), dataIndex: 'displayName' },
        { title: t('datasources.uploadedFile'), dataIndex: 'sourceFile', render: (v: string | null) => v ?? '—' },
        { title: t('datasources.uploadedRows'), dataIndex: 'rowCount', align: 'right', render: (n: number) => n.toLocaleString() },
        { title: t('datasources.uploadedColumns'), render: (_, r) => r.fields.map((f) => f.name).join('、'), ellipsis: true },
        { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
        {
          title: t('common.actions'),
          width: 80,
          render: (_, r) => (
            <Popconfirm
              title={t('datasources.uploadedDeleteConfirm', { name: r.displayName })}
              onConfirm={() => remove.mutate(r.id, { onError: (err) => void message.error(errorMessage(err)) })}
            >
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
            </Popconfirm>
          ),
        },
      ]}
    />
  );
}
