import { CheckCircleOutlined, InboxOutlined } from '@ant-design/icons';
import { FIELD_TYPES, type BadValuePolicy, type Field, type FieldType, type ImportUploadResult } from '@shulan/shared';
import { Alert, App, Button, Descriptions, Flex, Form, Input, Modal, Progress, Radio, Result, Select, Steps, Table, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import type { UploadPreview } from '../../api/types';
import { useEmbeddedTables, useImportProgress, useImportUpload, useUpload, useUploadSheet } from './useDatasources';

type Target = 'new' | 'append' | 'replace';
type Done = { datasetId: string; name: string; target: Target; result: ImportUploadResult };

/** Upload a CSV/XLSX file, check the inferred column types and bad rows, then import it as a dataset. */
export function UploadWizard({ initialFile, onClose }: { initialFile: File | null; onClose: () => void }) {
  const { t } = useTranslation();
  const upload = useUpload();
  // The page's upload button picks the file before the dialog opens; start on it right away (once,
  // even under StrictMode's double effects).
  const started = useRef(false);
  useEffect(() => {
    if (!initialFile || started.current) return;
    started.current = true;
    upload.mutate(initialFile, { onSuccess: setPreview });
  }, [initialFile, upload]);
  const [preview, setPreview] = useState<UploadPreview | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const step = done ? 2 : preview ? 1 : 0;

  return (
    <Modal open title={t('upload.title')} onCancel={onClose} footer={null} width={960} destroyOnHidden>
      <Steps current={step} size="small" style={{ marginBottom: 24 }} items={[{ title: t('upload.stepFile') }, { title: t('upload.stepPreview') }, { title: t('upload.stepDone') }]} />
      {step === 0 ? (
        <FileStep loading={upload.isPending} error={upload.error} onFile={(file) => upload.mutate(file, { onSuccess: setPreview })} />
      ) : null}
      {step === 1 && preview ? (
        <PreviewStep key={`${preview.uploadId}:${preview.sheet ?? ''}`} preview={preview} onBack={() => setPreview(null)} onImported={setDone} onSheet={setPreview} />
      ) : null}
      {step === 2 && done ? <DoneStep done={done} onClose={onClose} /> : null}
    </Modal>
  );
}

function FileStep({ loading, error, onFile }: { loading: boolean; error: unknown; onFile: (f: File) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  return (
    <>
      {error ? <Alert type="error" showIcon title={errorMessage(error)} style={{ marginBottom: 16 }} /> : null}
      <div
        role="button"
        tabIndex={0}
        onClick={() => input.current?.click()}
        onKeyDown={(e) => e.key === 'Enter' && input.current?.click()}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file) onFile(file);
        }}
        style={{
          border: `1px dashed ${dragging ? '#1677ff' : '#d9d9d9'}`,
          background: dragging ? '#e6f4ff' : '#fafafa',
          borderRadius: 8,
          padding: '40px 16px',
          textAlign: 'center',
          cursor: 'pointer',
        }}
      >
        <InboxOutlined style={{ fontSize: 48, color: '#1677ff' }} />
        <Typography.Paragraph style={{ margin: '12px 0 4px', fontSize: 16 }}>{loading ? t('upload.uploading') : t('upload.drop')}</Typography.Paragraph>
        <Typography.Text type="secondary">{t('upload.formats')}</Typography.Text>
        <input
          ref={input}
          type="file"
          accept=".csv,.xlsx,.xls,.tsv,.txt"
          data-testid="upload-input-dialog"
          style={{ display: 'none' }}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file);
            e.target.value = '';
          }}
        />
      </div>
    </>
  );
}

function PreviewStep({
  preview,
  onBack,
  onImported,
  onSheet,
}: {
  preview: UploadPreview;
  onBack: () => void;
  onImported: (d: Done) => void;
  /** Another worksheet of the workbook was chosen: its preview replaces this one. */
  onSheet: (p: UploadPreview) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const importUpload = useImportUpload();
  const chooseSheet = useUploadSheet();
  const tables = useEmbeddedTables();
  const progress = useImportProgress(preview.uploadId, importUpload.isPending);
  const [name, setName] = useState(preview.fileName.replace(/\.[^.]+$/, ''));
  const [fields, setFields] = useState<Field[]>(preview.fields);
  // Default: a bad value empties its cell and the row is kept.
  const [badValues, setBadValues] = useState<BadValuePolicy>('blank');
  const [target, setTarget] = useState<Target>('new');
  const [tableId, setTableId] = useState<string | undefined>(undefined);
  const table = tables.data?.find((x) => x.id === tableId);
  const errors = preview.errors ?? [];
  const badRows = new Set(errors.map((e) => e.row));

  // Sample rows come as objects keyed by field name or as arrays in field order.
  // Error rows are file line numbers (the header is line 1), so the i-th sample row is line i + 2.
  const rows = preview.sampleRows.map((r, i) => ({ ...r, __row: i + 2 }));
  const badCells = new Set(errors.map((e) => `${e.row}:${e.column}`));

  const columns = preview.fields.map((f, i) => ({
    key: f.name,
    dataIndex: f.name,
    ellipsis: true,
    title: (
      <Flex vertical gap={4}>
        <span>{f.name}</span>
        <Select<FieldType>
          size="small"
          value={fields[i]?.type}
          style={{ minWidth: 110 }}
          options={FIELD_TYPES.map((ft) => ({ value: ft, label: t(`fieldTypes.${ft}`) }))}
          // Back to the inferred type keeps its exact decimals (scale); another type drops them.
          onChange={(type) => setFields(fields.map((x, j) => (j === i ? (type === f.type ? f : { name: x.name, type }) : x)))}
          data-testid={`upload-type-${f.name}`}
        />
        {fields[i]?.type === 'number' && fields[i]?.scale !== undefined ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('upload.decimals', { scale: fields[i]!.scale })}
          </Typography.Text>
        ) : null}
      </Flex>
    ),
    render: (v: unknown, r: { __row: number }) => {
      const text = v === null || v === undefined || v === '' ? <Typography.Text type="secondary">—</Typography.Text> : String(v);
      return badCells.has(`${r.__row}:${f.name}`) ? <Typography.Text type="danger" strong>{text}</Typography.Text> : text;
    },
  }));

  const handleImport = () => {
    const into = target === 'append' ? { appendTableId: tableId } : target === 'replace' ? { replaceTableId: tableId } : {};
    const shownName = target === 'new' ? name.trim() : (table?.displayName ?? '');
    importUpload.mutate(
      { uploadId: preview.uploadId, name: target === 'new' ? name.trim() : shownName || 'x', fields, badValues, ...into },
      {
        onSuccess: (r) => onImported({ datasetId: r.datasetId, name: shownName, target, result: r }),
        onError: (err) => void message.error(errorMessage(err)),
      },
    );
  };
  const ready = target === 'new' ? !!name.trim() : !!tableId;
  const p = progress.data;

  return (
    <>
      <Flex gap={16} align="end" wrap style={{ marginBottom: 12 }}>
        {preview.sheets && preview.sheets.length > 1 ? (
          <Form.Item label={t('upload.sheet')} style={{ marginBottom: 0 }} layout="vertical">
            <Select
              value={preview.sheet}
              style={{ minWidth: 160 }}
              loading={chooseSheet.isPending}
              data-testid="upload-sheet"
              options={preview.sheets.map((s) => ({ value: s, label: s }))}
              onChange={(sheet: string) =>
                chooseSheet.mutate({ uploadId: preview.uploadId, sheet }, { onSuccess: onSheet, onError: (err) => void message.error(errorMessage(err)) })
              }
            />
          </Form.Item>
        ) : null}
        <Form.Item label={t('upload.target')} style={{ marginBottom: 0 }} layout="vertical">
          <Select<Target>
            value={target}
            onChange={setTarget}
            style={{ minWidth: 200 }}
            data-testid="upload-target"
            options={(['new', 'append', 'replace'] as const).map((v) => ({ value: v, label: t(`upload.target${v[0]!.toUpperCase()}${v.slice(1)}`) }))}
          />
        </Form.Item>
        {target === 'new' ? (
          <Form.Item label={t('upload.datasetName')} style={{ marginBottom: 0, flex: 1, minWidth: 240 }} layout="vertical">
            <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} data-testid="upload-name" />
          </Form.Item>
        ) : (
          <Form.Item label={t('upload.targetTable')} style={{ marginBottom: 0, flex: 1, minWidth: 240 }} layout="vertical">
            <Select
              value={tableId}
              onChange={setTableId}
              loading={tables.isLoading}
              showSearch
              optionFilterProp="label"
              data-testid="upload-target-table"
              options={(tables.data ?? []).map((x) => ({ value: x.id, label: `${x.displayName}（${x.fields.map((f) => f.name).join('、')}）` }))}
            />
          </Form.Item>
        )}
        <Typography.Text type="secondary">{t('upload.summary', { file: preview.fileName, rows: preview.rowCount, cols: preview.fields.length })}</Typography.Text>
      </Flex>
      {errors.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('upload.errorsTitle', { n: errors.length })}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 120, overflow: 'auto' }}>
              {errors.slice(0, 50).map((e, i) => (
                <li key={i}>
                  {t('upload.errorRow', { row: e.row })}
                  {e.column ? ` · ${e.column}` : ''}: {e.message}
                </li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Table
        size="small"
        bordered
        rowKey="__row"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content', y: 320 }}
        rowClassName={(r) => (badRows.has(r.__row) ? 'upload-error-row' : '')}
      />
      {importUpload.isPending && p?.running ? (
        <div style={{ marginTop: 12 }} data-testid="upload-progress">
          <Progress percent={p.percent} size="small" />
          <Typography.Text type="secondary">{t('upload.importing', { read: p.rowsRead.toLocaleString(), total: p.rowCount.toLocaleString() })}</Typography.Text>
        </div>
      ) : null}
      <Flex justify="space-between" align="center" style={{ marginTop: 16 }} wrap gap={8}>
        <Flex align="center" gap={8}>
          <Typography.Text>{t('upload.badValues')}</Typography.Text>
          <span data-testid="upload-bad-values">
            <Radio.Group
              value={badValues}
              onChange={(e) => setBadValues(e.target.value as BadValuePolicy)}
              options={[
                { value: 'blank', label: t('upload.badBlank') },
                { value: 'skip', label: t('upload.badSkip') },
              ]}
            />
          </span>
        </Flex>
        <Flex gap={8}>
          <Button onClick={onBack}>{t('upload.chooseAnother')}</Button>
          <Button type="primary" onClick={handleImport} loading={importUpload.isPending} disabled={!ready} data-testid="upload-import">
            {t('upload.import')}
          </Button>
        </Flex>
      </Flex>
    </>
  );
}

function DoneStep({ done, onClose }: { done: Done; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const r = done.result;
  const title = done.target === 'append' ? 'upload.appendedTitle' : done.target === 'replace' ? 'upload.replacedTitle' : 'upload.doneTitle';
  return (
    <Result
      icon={<CheckCircleOutlined style={{ color: '#52c41a' }} />}
      title={t(title, { name: done.name })}
      subTitle={
        <Flex vertical gap={8} align="center">
          <span>{t('upload.doneSub')}</span>
          <div data-testid="upload-counts">
            <Descriptions
              size="small"
              bordered
              column={3}
              items={[
                { key: 'imported', label: t('upload.countImported'), children: <span data-testid="upload-count-imported">{r.imported}</span> },
                { key: 'skipped', label: t('upload.countSkipped'), children: <span data-testid="upload-count-skipped">{r.skipped}</span> },
                { key: 'blanked', label: t('upload.countBlanked'), children: <span data-testid="upload-count-blanked">{r.blanked}</span> },
              ]}
            />
          </div>
          {r.errors.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ textAlign: 'start', maxWidth: 640 }}
              title={t('upload.countErrors')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18, maxHeight: 120, overflow: 'auto' }}>
                  {r.errors.slice(0, 20).map((e, i) => (
                    <li key={i}>
                      {t('upload.errorRow', { row: e.row })} · {e.column}: {e.message}
                    </li>
                  ))}
                </ul>
              }
            />
          ) : null}
        </Flex>
      }
      extra={[
        <Button key="close" onClick={onClose} data-testid="upload-done">
          {t('common.close')}
        </Button>,
        <Button key="report" type="primary" onClick={() => void navigate('/reports/new')}>
          {t('reports.new')}
        </Button>,
      ]}
    />
  );
}
