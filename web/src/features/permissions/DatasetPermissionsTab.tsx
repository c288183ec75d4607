import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { DIRECTORY_ATTRIBUTES, type ColumnRule, type DatasetPermissions, type Field, type RowCondition, type RowRule } from '@shulan/shared';
import { Alert, App, AutoComplete, Button, Card, Radio, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/apiClient';
import { SubjectsPicker } from './SubjectsPicker';
import { useDatasetPermissions, useSaveDatasetPermissions } from './usePermissions';

const everyone = () => ({ everyone: true, users: [], groups: [] });
const newCondition = (fields: Field[]): RowCondition => ({ field: fields[0]?.name ?? '', op: 'in', value: { kind: 'attribute', name: 'department' } });

/** 数据集 → 权限: row rules (行权限) and column rules (hide / mask), admins only. */
export function DatasetPermissionsTab({ datasetId, fields }: { datasetId: string; fields: Field[] }) {
  const perms = useDatasetPermissions(datasetId);
  if (perms.isPending) return <Skeleton active />;
  if (perms.error) return <Alert type="error" showIcon title={errorMessage(perms.error)} />;
  return <PermissionsForm key={datasetId} datasetId={datasetId} fields={fields} initial={perms.data} />;
}

function PermissionsForm({ datasetId, fields, initial }: { datasetId: string; fields: Field[]; initial: DatasetPermissions }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [p, setP] = useState<DatasetPermissions>(initial);
  const save = useSaveDatasetPermissions(datasetId);
  const fieldOptions = fields.map((f) => ({ value: f.name, label: f.name }));
  const setRow = (i: number, r: RowRule) => setP({ ...p, rowRules: p.rowRules.map((x, j) => (j === i ? r : x)) });
  const setCol = (i: number, r: ColumnRule) => setP({ ...p, columnRules: p.columnRules.map((x, j) => (j === i ? r : x)) });

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Alert type="info" showIcon title={t('permissions.hint')} />
      <Typography.Title level={5}>{t('permissions.rowTitle')}</Typography.Title>
      <Radio.Group value={p.rowMode} onChange={(e) => setP({ ...p, rowMode: e.target.value })} data-testid="perm-row-mode">
        <Radio value="off">{t('permissions.rowOff')}</Radio>
        <Radio value="rules">{t('permissions.rowRules')}</Radio>
      </Radio.Group>
      {p.rowMode === 'rules' && (
        <>
          <Space>
            {t('permissions.noMatch')}
            <Radio.Group value={p.noMatch} onChange={(e) => setP({ ...p, noMatch: e.target.value })}>
              <Radio value="deny">{t('permissions.noMatchDeny')}</Radio>
              <Radio value="allow">{t('permissions.noMatchAllow')}</Radio>
            </Radio.Group>
          </Space>
          {p.rowRules.map((r, i) => (
            <Card
              key={i}
              size="small"
              title={t('permissions.ruleN', { n: i + 1 })}
              extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setP({ ...p, rowRules: p.rowRules.filter((_, j) => j !== i) })} />}
              data-testid="row-rule"
            >
              <div style={{ marginBottom: 8 }}>
                {t('permissions.appliesTo')} <SubjectsPicker value={r.subjects} onChange={(subjects) => setRow(i, { ...r, subjects })} />
              </div>
              {r.conditions.map((c, k) => (
                <Space key={k} wrap style={{ marginBottom: 8 }}>
                  <Select style={{ width: 140 }} value={c.field} options={fieldOptions} onChange={(field: string) => setRow(i, { ...r, conditions: r.conditions.map((x, j) => (j === k ? { ...x, field } : x)) })} data-testid="cond-field" />
                  <Select
                    style={{ width: 90 }}
                    value={c.op}
                    options={[{ value: 'eq', label: t('permissions.opEq') }, { value: 'in', label: t('permissions.opIn') }]}
                    onChange={(op: 'eq' | 'in') => setRow(i, { ...r, conditions: r.conditions.map((x, j) => (j === k ? { ...x, op } : x)) })}
                  />
                  <Select
                    style={{ width: 120 }}
                    value={c.value.kind}
                    options={[{ value: 'attribute', label: t('permissions.fromAttribute') }, { value: 'constant', label: t('permissions.fromConstant') }]}
                    onChange={(kind: 'attribute' | 'constant') =>
                      setRow(i, { ...r, conditions: r.conditions.map((x, j) => (j === k ? { ...x, value: kind === 'attribute' ? { kind, name: 'department' } : { kind, values: [] } } : x)) })
                    }
                    data-testid="cond-kind"
                  />
                  {c.value.kind === 'attribute' ? (
                    <AutoComplete
                      style={{ width: 180 }}
                      value={c.value.name}
                      options={DIRECTORY_ATTRIBUTES.map((a) => ({ value: a, label: `${a} · ${t(`permissions.attrs.${a}`)}` }))}
                      onChange={(name: string) => setRow(i, { ...r, conditions: r.conditions.map((x, j) => (j === k ? { ...x, value: { kind: 'attribute', name } } : x)) })}
                      data-testid="cond-attribute"
                    />
                  ) : (
                    <Select
                      mode="tags"
                      open={false}
                      style={{ minWidth: 200 }}
                      value={c.value.values.map(String)}
                      onChange={(values: string[]) => setRow(i, { ...r, conditions: r.conditions.map((x, j) => (j === k ? { ...x, value: { kind: 'constant', values } } : x)) })}
                      data-testid="cond-values"
                    />
                  )}
                  {r.conditions.length > 1 && (
                    <Button type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setRow(i, { ...r, conditions: r.conditions.filter((_, j) => j !== k) })} />
                  )}
                </Space>
              ))}
              <Button size="small" icon={<PlusOutlined />} onClick={() => setRow(i, { ...r, conditions: [...r.conditions, newCondition(fields)] })}>
                {t('permissions.addCondition')}
              </Button>
            </Card>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => setP({ ...p, rowRules: [...p.rowRules, { subjects: everyone(), conditions: [newCondition(fields)] }] })} data-testid="row-rule-add">
            {t('permissions.addRowRule')}
          </Button>
        </>
      )}
      <Typography.Title level={5}>{t('permissions.columnTitle')}</Typography.Title>
      {p.columnRules.map((r, i) => (
        <Card key={i} size="small" data-testid="column-rule">
          <Space wrap>
            <Select style={{ width: 140 }} value={r.field} options={fieldOptions} onChange={(field: string) => setCol(i, { ...r, field })} />
            <Select
              style={{ width: 160 }}
              value={r.action === 'hide' ? 'hide' : `mask_${r.mask}`}
              options={[
                { value: 'hide', label: t('permissions.hide') },
                { value: 'mask_partial', label: t('permissions.maskPartial') },
                { value: 'mask_full', label: t('permissions.maskFull') },
              ]}
              onChange={(v: string) => setCol(i, v === 'hide' ? { ...r, action: 'hide' } : { ...r, action: 'mask', mask: v === 'mask_full' ? 'full' : 'partial' })}
            />
            {t('permissions.for')}
            <SubjectsPicker value={r.subjects} onChange={(subjects) => setCol(i, { ...r, subjects })} />
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setP({ ...p, columnRules: p.columnRules.filter((_, j) => j !== i) })} />
          </Space>
        </Card>
      ))}
      <Button
        icon={<PlusOutlined />}
        onClick={() => setP({ ...p, columnRules: [...p.columnRules, { field: fields[0]?.name ?? '', action: 'mask', mask: 'partial', subjects: everyone() }] })}
      >
        {t('permissions.addColumnRule')}
      </Button>
      <Button
        type="primary"
        loading={save.isPending}
        data-testid="perm-save"
        onClick={() => save.mutate(p, { onSuccess: () => void message.success(t('permissions.saved')), onError: (e) => void message.error(errorMessage(e)) })}
      >
        {t('common.save')}
      </Button>
    </Space>
  );
}
