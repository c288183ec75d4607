import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import type { VerificationFileView } from '@shulan/shared';
import { App, Button, Card, Popconfirm, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useDeleteVerificationFile, useUploadVerificationFile, useVerificationFiles } from './useWecomSettings';

/** The public address of a file: WeChat and WeCom fetch it over https at the domain root. */
export function publicFileUrl(name: string): string {
  return `https://${window.location.host}/${name}`;
}

/** Business-domain / trusted-domain verification files: upload .txt, list with the public URL, delete. */
export function VerificationFilesCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const files = useVerificationFiles();
  const upload = useUploadVerificationFile();
  const remove = useDeleteVerificationFile();

  const onFile = (f: File | undefined) => {
    if (!f) return;
    upload.mutate(f, {
      onSuccess: (v) => void message.success(t('wecom.files.uploaded', { name: v.name })),
      onError: (e) => void message.error(errorMessage(e)),
    });
  };

  return (
    <Card
      title={t('wecom.files.title')}
      extra={
        <Button icon={<UploadOutlined />} loading={upload.isPending} onClick={() => input.current?.click()} data-testid="wecom-file-upload">
          {t('wecom.files.upload')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('wecom.files.help')}</Typography.Paragraph>
      <input
        ref={input}
        type="file"
        accept=".txt,text/plain"
        style={{ display: 'none' }}
        data-testid="wecom-file-input"
        onChange={(e) => {
          onFile(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      <ErrorAlert error={files.error} style={{ marginBottom: 12 }} />
      <Table<VerificationFileView>
        rowKey="name"
        size="small"
        pagination={false}
        loading={files.isPending}
        dataSource={files.data ?? []}
        data-testid="wecom-files"
        locale={{ emptyText: t('wecom.files.empty') }}
        columns={[
          { title: t('wecom.files.name'), dataIndex: 'name' },
          {
            title: t('wecom.files.url'),
            key: 'url',
            render: (_, f) => (
              <Typography.Link href={`/${f.name}`} target="_blank" copyable={{ text: publicFileUrl(f.name) }}>
                {publicFileUrl(f.name)}
              </Typography.Link>
            ),
          },
          { title: t('wecom.files.size'), dataIndex: 'size', width: 90, render: (n: number) => <span style={{ whiteSpace: 'nowrap' }}>{n} B</span> },
          {
            title: t('wecom.files.uploadedAt'),
            dataIndex: 'createdAt',
            width: 150,
            render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{dayjs(v).format('YYYY-MM-DD HH:mm')}</span>,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 80,
            render: (_, f) => (
              <Popconfirm
                title={t('wecom.files.deleteConfirm', { name: f.name })}
                onConfirm={() =>
                  remove.mutate(f.name, {
                    onSuccess: () => void message.success(t('common.deleted')),
                    onError: (e) => void message.error(errorMessage(e)),
                  })
                }
              >
                <Button type="text" danger size="small" icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}
