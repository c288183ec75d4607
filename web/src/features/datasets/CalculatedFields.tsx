import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { CalculatedField, CalculatedFieldView, DatasetView, ValidateExpressionResult } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/apiClient';
import { currentLanguage } from '../../i18n/i18n';
import { FormulaInput } from './FormulaInput';

/** Waits for typing to pause before checking an expression on the server. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

/** The dataset's calculated fields: listed with their type or error, added and edited with a live check. */
export function CalculatedFields({ dataset }: { dataset: DatasetView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<{ index: number | null; draft: CalculatedField } | null>(null);
  const list: CalculatedField[] = dataset.calculatedFields.map(({ name, expression }) => ({ name, expression }));
  const save = useMutation({
    mutationFn: (calculatedFields: CalculatedField[]) => api.put<DatasetView>(`/datasets/${dataset.id}`, { calculatedFields }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['datasets'] }),
  });
  const saveList = (next: CalculatedField[], after?: () => void) =>
    save.mutate(next, {
      onSuccess: () => {
        void message.success(t('common.saved'));
        after?.();
      },
      onError: (err) => void message.error(errorMessage(err)),
    });
  const lang = currentLanguage();

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('calc.help')}</Typography.Text>
      <Table<CalculatedFieldView>
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={dataset.calculatedFields}
        locale={{ emptyText: t('calc.empty') }}
        columns={[
          { title: t('datasets.fieldName'), dataIndex: 'name', render: (v: string) => <span>ƒ {v}</span> },
          { title: t('calc.expression'), dataIndex: 'expression', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          {
            title: t('datasets.fieldType'),
            render: (_, r) =>
              r.error ? (
                <Typography.Text type="danger">{r.error[lang]}</Typography.Text>
              ) : (
                <Space size={4}>
                  <Tag>{t(`fieldTypes.${r.type ?? 'string'}`)}</Tag>
                  {r.aggregate ? <Tag color="purple">{t('calc.aggregate')}</Tag> : null}
                </Space>
              ),
          },
          {
            title: t('common.actions'),
            width: 90,
            render: (_, r, i) => (
              <Space size={0}>
                <Button size="small" type="text" icon={<EditOutlined />} aria-label={t('common.edit')} onClick={() => setEditing({ index: i, draft: { name: r.name, expression: r.expression } })} />
                <Popconfirm title={t('calc.deleteConfirm', { name: r.name })} onConfirm={() => saveList(list.filter((_, j) => j !== i))}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing ? (
        <ExpressionEditor
          dataset={dataset}
          others={list.filter((_, j) => j !== editing.index)}
          initial={editing.draft}
          saving={save.isPending}
          onCancel={() => setEditing(null)}
          onSave={(field) => {
            const next = editing.index === null ? [...list, field] : list.map((f, j) => (j === editing.index ? field : f));
            saveList(next, () => setEditing(null));
          }}
        />
      ) : (
        <Button type="dashed" icon={<PlusOutlined />} onClick={() => setEditing({ index: null, draft: { name: '', expression: '' } })} data-testid="calc-add">
          {t('calc.add')}
        </Button>
      )}
    </Flex>
  );
}

function ExpressionEditor(props: {
  dataset: DatasetView;
  others: CalculatedField[];
  initial: CalculatedField;
  saving: boolean;
  onCancel: () => void;
  onSave: (f: CalculatedField) => void;
}) {
  const { dataset, others } = props;
  const { t } = useTranslation();
  const [name, setName] = useState(props.initial.name);
  const [expression, setExpression] = useState(props.initial.expression);
  const area = useRef<TextAreaRef>(null);
  const checked = useDebounced(expression, 300);
  const check = useQuery({
    queryKey: ['datasets', dataset.id, 'validate', checked, others],
    queryFn: () => api.post<ValidateExpressionResult>(`/datasets/${dataset.id}/validate-expression`, { expression: checked, calculatedFields: others }),
    enabled: checked.trim() !== '',
  });
  const result = checked === expression ? check.data : undefined;
  const insert = (text: string) => {
    const el = area.current?.resizableTextArea?.textArea;
    const at = el ? el.selectionStart : expression.length;
    const end = el ? el.selectionEnd : expression.length;
    setExpression(expression.slice(0, at) + text + expression.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + text.length, at + text.length);
    });
  };
  /** Puts the cursor where the error is. */
  const goTo = (position: number) => {
    const el = area.current?.resizableTextArea?.textArea;
    el?.focus();
    el?.setSelectionRange(position - 1, position);
  };
  const realFields = dataset.fields.filter((f) => !f.calculated);
  const fieldNames = [...realFields.map((f) => f.name), ...others.map((f) => f.name)];

  return (
    <Flex vertical gap={8} style={{ border: '1px solid #f0f0f0', borderRadius: 8, padding: 12 }}>
      <Input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('calc.namePlaceholder')} maxLength={128} data-testid="calc-name" />
      <Flex wrap gap={4}>
        {fieldNames.map((n) => (
          <Tag key={n} style={{ cursor: 'pointer' }} onClick={() => insert(`[${n}]`)}>
            {n}
          </Tag>
        ))}
      </Flex>
      <FormulaInput ref={area} value={expression} onChange={setExpression} fieldNames={fieldNames} placeholder="SUM([利润]) / SUM([销售额])" />
      <div aria-live="polite" data-testid="calc-check">
        {result?.ok ? (
          <Alert type="success" showIcon message={t('calc.ok', { type: t(`fieldTypes.${result.type}`) }) + (result.aggregate ? ` · ${t('calc.aggregateHint')}` : '')} />
        ) : result && !result.ok ? (
          <Alert type="error" showIcon message={result.message} action={<Button size="small" onClick={() => goTo(result.position)}>{t('calc.goTo')}</Button>} />
        ) : check.error ? (
          <Alert type="error" showIcon message={errorMessage(check.error)} />
        ) : null}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('calc.functions')}
      </Typography.Text>
      <Flex gap={8} justify="end">
        <Button onClick={props.onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" loading={props.saving} disabled={!name.trim() || !result?.ok} onClick={() => props.onSave({ name: name.trim(), expression: expression.trim() })} data-testid="calc-save">
          {t('common.save')}
        </Button>
      </Flex>
    </Flex>
  );
}
