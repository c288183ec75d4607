import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import type { ImportAllSheetsResult, SheetImportOutcome } from '@shulan/shared';
import { Button, Result, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** The last step after importing every sheet: per sheet its dataset and counts, or why it was left out. */
export function SheetsDoneStep({ result, onClose }: { result: ImportAllSheetsResult; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ok = result.sheets.filter((s) => s.ok).length;
  const failed = result.sheets.length - ok;
  const count = (s: SheetImportOutcome, key: 'imported' | 'skipped' | 'blanked') => (s.ok ? s[key] : '—');
  return (
    <Result
      status={failed === 0 ? 'success' : ok === 0 ? 'error' : 'warning'}
      icon={failed === 0 ? <CheckCircleOutlined style={{ color: '#52c41a' }} /> : <ExclamationCircleOutlined />}
      title={failed === 0 ? t('upload.allDoneTitle', { ok }) : t('upload.allDoneSome', { ok, failed })}
      subTitle={ok > 0 ? t('upload.doneSub') : null}
      extra={[
        <Button key="close" onClick={onClose} data-testid="upload-done">
          {t('common.close')}
        </Button>,
        ok > 0 ? (
          <Button key="report" type="primary" onClick={() => void navigate('/reports/new')}>
            {t('reports.new')}
          </Button>
        ) : null,
      ]}
    >
      <Table<SheetImportOutcome>
        size="small"
        bordered
        pagination={false}
        rowKey="sheet"
        data-testid="upload-sheet-results"
        dataSource={result.sheets}
        expandable={{
          rowExpandable: (s) => s.ok && s.errors.length > 0,
          expandedRowRender: (s) => (
            <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 120, overflow: 'auto', textAlign: 'start' }}>
              {(s.ok ? s.errors : []).slice(0, 20).map((e, i) => (
                <li key={i}>
                  {t('upload.errorRow', { row: e.row })} · {e.column}: {e.message}
                </li>
              ))}
            </ul>
          ),
        }}
        onRow={(s) => ({ 'data-testid': `upload-sheet-result-${s.sheet}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'sheet', title: t('upload.sheet'), dataIndex: 'sheet' },
          { key: 'name', title: t('upload.colDataset'), render: (_, s) => (s.ok ? s.name : <Typography.Text type="secondary">{s.name}</Typography.Text>) },
          { key: 'imported', title: t('upload.countImported'), render: (_, s) => count(s, 'imported') },
          { key: 'skipped', title: t('upload.countSkipped'), render: (_, s) => count(s, 'skipped') },
          { key: 'blanked', title: t('upload.countBlanked'), render: (_, s) => count(s, 'blanked') },
          {
            key: 'result',
            title: t('upload.colResult'),
            render: (_, s) =>
              s.ok ? (
                s.errors.length > 0 ? (
                  <Typography.Text type="warning">{t('upload.sheetValues', { n: s.errors.length })}</Typography.Text>
                ) : (
                  <Typography.Text type="success">{t('upload.sheetOk')}</Typography.Text>
                )
              ) : (
                <Typography.Text type="danger">{t('upload.sheetFailed', { reason: s.reason })}</Typography.Text>
              ),
          },
        ]}
      />
    </Result>
  );
}
