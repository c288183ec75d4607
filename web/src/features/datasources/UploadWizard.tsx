import { CheckCircleOutlined, InboxOutlined } from '@ant-design/icons';
import { FIELD_TYPES, type BadValuePolicy, type Field, type FieldType, type ImportAllSheetsResult, type ImportUploadResult } from '@shulan/shared';
import { Alert, App, Button, Descriptions, Flex, Form, Input, Modal, Radio, Result, Select, Steps, Table, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/apiClient';
import type { UploadPreview } from '../../api/types';
import { SheetsDoneStep } from './SheetsDoneStep';
import { UploadProgress } from './UploadProgress';
import { serverStatus, type UploadStatus } from './uploadStatus';
import { useEmbeddedTables, useImportAllSheets, useImportProgress, useImportUpload, useUpload, useUploadSheet } from './useDatasources';

type Target = 'new' | 'append' | 'replace';
/** A workbook's import: the previewed sheet only, or every sheet in one step. */
type ImportMode = 'one' | 'all';
type Done =
  | { kind: 'one'; datasetId: string; name: string; target: Target; result: ImportUploadResult }
  | { kind: 'all'; result: ImportAllSheetsResult };

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
  // Kept here: choosing another sheet to preview remounts the preview step.
  const [mode, setMode] = useState<ImportMode>('one');
  const step = done ? 2 : preview ? 1 : 0;

  return (
    <Modal open title={t('upload.title')} onCancel={onClose} footer={null} width={960} destroyOnHidden>
      <Steps current={step} size="small" style={{ marginBottom: 24 }} items={[{ title: t('upload.stepFile') }, { title: t('upload.stepPreview') }, { title: t('upload.stepDone') }]} />
      {step === 0 ? (
        <FileStep progress={upload.progress} error={upload.error} onFile={(file) => upload.mutate(file, { onSuccess: setPreview })} />
      ) : null}
      {step === 1 && preview ? (
        <PreviewStep key={`${preview.uploadId}:${preview.sheet ?? ''}`} preview={preview} onBack={() => setPreview(null)} onImported={setDone} onSheet={setPreview} mode={mode} onMode={setMode} />
      ) : null}
      {step === 2 && done?.kind === 'one' ? <DoneStep done={done} onClose={onClose} /> : null}
      {step === 2 && done?.kind === 'all' ? <SheetsDoneStep result={done.result} onClose={onClose} /> : null}
    </Modal>
  );
}

function FileStep({ progress, error, onFile }: { progress: UploadStatus | null; error: unknown; onFile: (f: File) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  return (
    <>
      {error ? <Alert type="error" showIcon title={errorMessage(error)} style={{ marginBottom: 16 }} /> : null}
      <div
        role="button"
        tabIndex={0}
        onClick={() => !progress && input.current?.click()}
        onKeyDown={(e) => e.key === 'Enter' && !progress && input.current?.click()}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          const file = e.dataTransfer.files[0];
          if (file && !progress) onFile(file);
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
        <Typography.Paragraph style={{ margin: '12px 0 4px', fontSize: 16 }}>{progress ? t('upload.uploading') : t('upload.drop')}</Typography.Paragraph>
        <Typography.Text type="secondary">{t('upload.formats')}</Typography.Text>
        {progress ? (
          <div style={{ maxWidth: 420, margin: '0 auto' }}>
            <UploadProgress status={progress} />
          </div>
        ) : null}
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
  mode,
  onMode,
}: {
  preview: UploadPreview;
  onBack: () => void;
  onImported: (d: Done) => void;
  /** Another worksheet of the workbook was chosen: its preview replaces this one. */
  onSheet: (p: UploadPreview) => void;
  mode: ImportMode;
  onMode: (m: ImportMode) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const importUpload = useImportUpload();
  const importAll = useImportAllSheets();
  const chooseSheet = useUploadSheet();
  const tables = useEmbeddedTables();
  const busy = importUpload.isPending || importAll.isPending || chooseSheet.isPending;
  const progress = useImportProgress(preview.uploadId, busy);
  // One worksheet (as previewed, types adjustable) or every sheet in one step (types inferred per sheet).
  const workbook = (preview.sheets?.length ?? 0) > 1;
  const all = workbook && mode === 'all';
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
          // Every sheet: each sheet keeps the types inferred from its own values.
          disabled={all}
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
        onSuccess: (r) => onImported({ kind: 'one', datasetId: r.datasetId, name: shownName, target, result: r }),
        onError: (err) => void message.error(errorMessage(err)),
      },
    );
  };
  const handleImportAll = () =>
    importAll.mutate(
      { uploadId: preview.uploadId, badValues },
      { onSuccess: (r) => onImported({ kind: 'all', result: r }), onError: (err) => void message.error(errorMessage(err)) },
    );
  const ready = all || (target === 'new' ? !!name.trim() : !!tableId);

  return (
    <>
      <Flex gap={16} align="end" wrap style={{ marginBottom: 12 }}>
        {workbook ? (
          <Form.Item label={t('upload.importMode')} style={{ marginBottom: 0 }} layout="vertical">
            <Radio.Group
              value={mode}
              onChange={(e) => onMode(e.target.value as ImportMode)}
              optionType="button"
              data-testid="upload-mode"
              options={[
                { value: 'one', label: t('upload.modeOne') },
                { value: 'all', label: t('upload.modeAll', { n: preview.sheets!.length }) },
              ]}
            />
          </Form.Item>
        ) : null}
        {preview.sheets && preview.sheets.length > 1 ? (
          <Form.Item label={all ? t('upload.previewSheet') : t('upload.sheet')} style={{ marginBottom: 0 }} layout="vertical">
            <Select
              value={preview.sheet}
              style={{ minWidth: 160 }}
              loading={chooseSheet.isPending}
              disabled={busy}
              data-testid="upload-sheet"
              options={preview.sheets.map((s) => ({ value: s, label: s }))}
              onChange={(sheet: string) =>
                chooseSheet.mutate({ uploadId: preview.uploadId, sheet }, { onSuccess: onSheet, onError: (err) => void message.error(errorMessage(err)) })
              }
            />
          </Form.Item>
        ) : null}
        {all ? null : (
          <>
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
          </>
        )}
        <Typography.Text type="secondary">{t('upload.summary', { file: preview.fileName, rows: preview.rowCount, cols: preview.fields.length })}</Typography.Text>
      </Flex>
      {all ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="upload-all-hint"
          title={t('upload.allHint', { file: preview.fileName.replace(/\.[^.]+$/, ''), n: preview.sheets!.length })}
        />
      ) : null}
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
      {busy ? <UploadProgress status={serverStatus(progress.data, chooseSheet.isPending ? 'analyzing' : 'importing')} /> : null}
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
          <Button
            type="primary"
            onClick={all ? handleImportAll : handleImport}
            loading={importUpload.isPending || importAll.isPending}
            disabled={!ready || chooseSheet.isPending}
            data-testid="upload-import"
          >
            {all ? t('upload.importAll', { n: preview.sheets!.length }) : t('upload.import')}
          </Button>
        </Flex>
      </Flex>
    </>
  );
}

function DoneStep({ done, onClose }: { done: Extract<Done, { kind: 'one' }>; onClose: () => void }) {
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
