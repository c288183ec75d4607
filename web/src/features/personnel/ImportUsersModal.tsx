import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Modal, Table, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import type { ImportReport, ImportRowReport } from '@shulan/shared';
import { useImportUsers } from '../users/useUsers';

/**
 * Bulk import: the file is first checked with a dry run (nothing is written), then imported on
 * confirmation. Initial passwords are shown once, here, and can be downloaded; the server keeps only hashes.
 */
export function ImportUsersModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const importUsers = useImportUsers();
  const [result, setResult] = useState<ImportReport | null>(null);
  const rows = result?.rows ?? [];
  const bad = result?.counts.error ?? 0;
  const committed = result !== null && !result.dryRun;
  const passwords = result?.initialPasswords ?? [];
  const passwordOf = new Map(passwords.map((p) => [p.username, p.password]));

  const run = (f: File, dryRun: boolean) => importUsers.mutate({ file: f, dryRun }, { onSuccess: setResult });

  const downloadPasswords = () => {
    const csv = ['username,initialPassword', ...passwords.map((p) => [p.username, p.password].map(csvCell).join(','))].join('\n');
    const url = URL.createObjectURL(new Blob(['\uFEFF' + csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'initial-passwords.csv';
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Modal
      open
      width={880}
      title={t('import.title')}
      onCancel={onClose}
      maskClosable={!committed}
      footer={
        committed ? (
          <Button type="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <Flex justify="end" gap={8}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              disabled={!file || !result || rows.length === bad}
              loading={importUsers.isPending && result !== null}
              onClick={() => file && run(file, false)}
              data-testid="import-confirm"
            >
              {t('import.confirm')}
            </Button>
          </Flex>
        )
      }
    >
      {!committed ? (
        <>
          <Typography.Paragraph type="secondary">{t('import.help')}</Typography.Paragraph>
          <Flex gap={8} align="center" style={{ marginBottom: 12 }}>
            <Button icon={<UploadOutlined />} onClick={() => input.current?.click()} loading={importUsers.isPending && result === null}>
              {t('import.chooseFile')}
            </Button>
            <Typography.Text>{file?.name ?? ''}</Typography.Text>
            <input
              ref={input}
              type="file"
              accept=".csv,.xlsx"
              style={{ display: 'none' }}
              data-testid="import-input"
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (!f) return;
                setFile(f);
                setResult(null);
                run(f, true);
              }}
            />
          </Flex>
        </>
      ) : (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('import.doneTitle', { created: result.counts.created, updated: result.counts.updated, unchanged: result.counts.unchanged })}
          description={t('import.passwordsOnce')}
          action={
            passwords.length ? (
              <Button icon={<DownloadOutlined />} onClick={downloadPasswords} data-testid="import-download">
                {t('import.download')}
              </Button>
            ) : undefined
          }
        />
      )}
      {importUsers.error ? <Alert type="error" showIcon title={errorMessage(importUsers.error)} style={{ marginBottom: 12 }} /> : null}
      {result && !committed ? (
        <Alert
          type={bad ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          title={t('import.dryRunSummary', { created: result.counts.created, updated: result.counts.updated, unchanged: result.counts.unchanged, bad })}
        />
      ) : null}
      {result ? (
        <Table<ImportRowReport>
          size="small"
          rowKey="row"
          dataSource={rows}
          pagination={{ pageSize: 50, hideOnSinglePage: true, size: 'small' }}
          scroll={{ y: 360 }}
          rowClassName={(r) => (r.status === 'error' ? 'upload-error-row' : '')}
          columns={[
            { title: t('import.row'), dataIndex: 'row', width: 70 },
            { title: t('users.username'), dataIndex: 'username' },
            {
              title: t('import.status'),
              dataIndex: 'status',
              render: (s: ImportRowReport['status']) => <Tag color={s === 'error' ? 'red' : s === 'unchanged' ? 'default' : s === 'updated' ? 'blue' : 'green'}>{t(`import.statuses.${s}`)}</Tag>,
            },
            { title: t('import.message'), dataIndex: 'message' },
            ...(committed
              ? [
                  {
                    title: t('import.initialPassword'),
                    key: 'password',
                    render: (_: unknown, r: ImportRowReport) => {
                      const p = passwordOf.get(r.username);
                      return p ? <Typography.Text code copyable>{p}</Typography.Text> : '—';
                    },
                  },
                ]
              : []),
          ]}
        />
      ) : null}
    </Modal>
  );
}

function csvCell(v: string): string {
  // Leading = + - @ would run as a formula when the file is opened in a spreadsheet.
  const safe = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
