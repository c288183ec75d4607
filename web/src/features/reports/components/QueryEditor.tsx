import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AGGREGATES, DATE_GRAINS, type Field, type Filter, type WidgetKind } from '@shulan/shared';
import { Button, Flex, Form, Input, InputNumber, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Widget } from '../../../api/types';

type Query = Widget['query'];
type Dimension = NonNullable<Query['dimensions']>[number];
type Measure = NonNullable<Query['measures']>[number];
type SortItem = NonNullable<Query['sort']>[number];

const FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'contains', 'between', 'is_null', 'not_null'] as const;
type FilterOp = (typeof FILTER_OPS)[number];

/** Dimensions, measures, filters, sort and limit of one widget, edited as plain form rows. */
export function QueryEditor({ kind, fields, query, onChange }: { kind: WidgetKind; fields: Field[]; query: Query; onChange: (q: Query) => void }) {
  const { t } = useTranslation();
  // Calculated fields are marked ƒ; aggregate ones (SUM(…)/SUM(…)) are measures only, with agg 'calc'.
  const optionOf = (f: Field) => ({ value: f.name, label: `${f.calculated ? 'ƒ ' : ''}${f.name} (${t(`fieldTypes.${f.type}`)})` });
  const measureFieldOptions = fields.map(optionOf);
  const fieldOptions = fields.filter((f) => !f.aggregate).map(optionOf);
  const typeOf = (name: string | undefined) => fields.find((f) => f.name === name)?.type;
  const isAggregateField = (name: string | undefined) => fields.some((f) => f.name === name && f.aggregate);
  const dims = query.dimensions ?? [];
  const measures = query.measures ?? [];
  const filters = query.filters ?? [];
  const sort = query.sort ?? [];
  const detailTable = kind === 'table' && (query.columns?.length ?? 0) > 0;
  const set = (patch: Partial<Query>) => onChange({ ...query, ...patch });
  const replace = <T,>(list: T[], i: number, item: T) => list.map((x, j) => (j === i ? item : x));
  const without = <T,>(list: T[], i: number) => list.filter((_, j) => j !== i);

  // Result column keys as the server names them: field or field__grain, count or agg__field.
  const sortKeys = detailTable
    ? (query.columns ?? [])
    : [...dims.map((d) => (d.grain ? `${d.field}__${d.grain}` : d.field)), ...measures.map((m) => (m.field ? `${m.agg}__${m.field}` : 'count'))];

  return (
    <>
      {kind === 'table' ? (
        <Form.Item label={t('widget.tableMode')}>
          <Select
            value={detailTable ? 'detail' : 'aggregate'}
            onChange={(mode) =>
              set(mode === 'detail' ? { columns: fields.filter((f) => !f.aggregate).slice(0, 12).map((f) => f.name), dimensions: [], measures: [] } : { columns: undefined })
            }
            options={[
              { value: 'detail', label: t('widget.modeDetail') },
              { value: 'aggregate', label: t('widget.modeAggregate') },
            ]}
          />
        </Form.Item>
      ) : null}

      {detailTable ? (
        <Form.Item label={t('widget.columns')}>
          <Select mode="multiple" value={query.columns} options={fieldOptions} onChange={(columns: string[]) => set({ columns })} />
        </Form.Item>
      ) : (
        <>
          {kind !== 'kpi' ? (
            <Form.Item label={t('widget.dimensions')}>
              <Flex vertical gap={8}>
                {dims.map((d, i) => (
                  <Flex key={i} gap={8}>
                    <Select style={{ flex: 2 }} value={d.field} options={fieldOptions} placeholder={t('widget.field')} showSearch
                      onChange={(field: string) => set({ dimensions: replace<Dimension>(dims, i, { field, ...(typeOf(field)?.startsWith('date') ? { grain: 'month' } : {}) }) })} />
                    {typeOf(d.field)?.startsWith('date') ? (
                      <Select style={{ flex: 1 }} value={d.grain} allowClear placeholder={t('widget.grain')}
                        options={DATE_GRAINS.map((g) => ({ value: g, label: t(`grains.${g}`) }))}
                        onChange={(grain?: Dimension['grain']) => set({ dimensions: replace<Dimension>(dims, i, { field: d.field, ...(grain ? { grain } : {}) }) })} />
                    ) : null}
                    <Button icon={<DeleteOutlined />} onClick={() => set({ dimensions: without(dims, i) })} />
                  </Flex>
                ))}
                {dims.length < 2 ? (
                  <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length === 0}
                    onClick={() => set({ dimensions: [...dims, { field: fields[0]!.name }] })}>
                    {t('widget.addDimension')}
                  </Button>
                ) : null}
              </Flex>
            </Form.Item>
          ) : null}
          <Form.Item label={t('widget.measures')}>
            <Flex vertical gap={8}>
              {measures.map((m, i) => (
                <Flex key={i} gap={8}>
                  <Select style={{ flex: 1 }} value={m.agg}
                    options={AGGREGATES.filter((a) => (isAggregateField(m.field) ? a === 'calc' : a !== 'calc')).map((a) => ({ value: a, label: t(`aggregates.${a}`) }))}
                    onChange={(agg: Measure['agg']) => set({ measures: replace<Measure>(measures, i, { ...m, agg }) })} />
                  <Select style={{ flex: 2 }} value={m.field} allowClear={m.agg === 'count'} placeholder={m.agg === 'count' ? t('widget.allRows') : t('widget.field')}
                    options={measureFieldOptions} showSearch
                    onChange={(field?: string) => {
                      // An aggregate calculated field brings its own aggregation; leaving one goes back to sum.
                      const agg: Measure['agg'] = isAggregateField(field) ? 'calc' : m.agg === 'calc' ? 'sum' : m.agg;
                      set({ measures: replace<Measure>(measures, i, { agg, ...(field ? { field } : {}), ...(m.label ? { label: m.label } : {}) }) });
                    }} />
                  <Input style={{ flex: 1 }} value={m.label} placeholder={t('widget.measureLabel')} maxLength={64}
                    onChange={(e) => set({ measures: replace<Measure>(measures, i, { ...m, label: e.target.value || undefined }) })} />
                  <Button icon={<DeleteOutlined />} onClick={() => set({ measures: without(measures, i) })} />
                </Flex>
              ))}
              {kind !== 'kpi' || measures.length === 0 ? (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => set({ measures: [...measures, { agg: 'count' }] })}>
                  {t('widget.addMeasure')}
                </Button>
              ) : null}
            </Flex>
          </Form.Item>
        </>
      )}

      <Form.Item label={t('widget.filters')}>
        <Flex vertical gap={8}>
          {filters.map((f, i) => (
            <FilterRow key={i} filter={f} fieldOptions={fieldOptions} onChange={(nf) => set({ filters: replace(filters, i, nf) })} onRemove={() => set({ filters: without(filters, i) })} />
          ))}
          <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length === 0}
            onClick={() => set({ filters: [...filters, { field: fields[0]!.name, op: 'eq', value: '' }] })}>
            {t('widget.addFilter')}
          </Button>
        </Flex>
      </Form.Item>

      <Flex gap={16} wrap>
        <Form.Item label={t('widget.sort')} style={{ flex: 2, minWidth: 240 }}>
          <Flex gap={8}>
            <Select style={{ flex: 2 }} allowClear value={sort[0]?.key} placeholder={t('widget.noSort')}
              options={[...new Set(sortKeys)].map((k) => ({ value: k, label: k }))}
              onChange={(key?: string) => set({ sort: key ? [{ key, dir: sort[0]?.dir ?? 'desc' }] : [] })} />
            <Select style={{ flex: 1 }} value={sort[0]?.dir ?? 'desc'} disabled={!sort[0]}
              options={[{ value: 'asc', label: t('widget.asc') }, { value: 'desc', label: t('widget.desc') }]}
              onChange={(dir: SortItem['dir']) => sort[0] && set({ sort: [{ key: sort[0].key, dir }] })} />
          </Flex>
        </Form.Item>
        <Form.Item label={t('widget.limit')} style={{ flex: 1, minWidth: 120 }}>
          <InputNumber min={1} max={100000} value={query.limit} style={{ width: '100%' }} onChange={(v) => set({ limit: v ?? undefined })} />
        </Form.Item>
      </Flex>
      {fields.length === 0 ? <Typography.Text type="secondary">{t('widget.pickDatasetFirst')}</Typography.Text> : null}
    </>
  );
}

function FilterRow({ filter, fieldOptions, onChange, onRemove }: {
  filter: Filter;
  fieldOptions: { value: string; label: string }[];
  onChange: (f: Filter) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const build = (field: string, op: FilterOp, raw: unknown): Filter => {
    if (op === 'is_null' || op === 'not_null') return { field, op };
    if (op === 'in' || op === 'not_in') {
      const list = Array.isArray(raw) ? raw.map(String) : raw === '' || raw === undefined ? [] : [String(raw)];
      return { field, op, value: list.length ? list : [''] };
    }
    if (op === 'between') {
      const pair = Array.isArray(raw) ? raw : [raw ?? '', ''];
      return { field, op, value: [String(pair[0] ?? ''), String(pair[1] ?? '')] };
    }
    const single = Array.isArray(raw) ? String(raw[0] ?? '') : String(raw ?? '');
    if (op === 'contains') return { field, op, value: single };
    return { field, op, value: single };
  };
  const value = 'value' in filter ? filter.value : undefined;
  return (
    <Flex gap={8}>
      <Select style={{ flex: 2 }} value={filter.field} options={fieldOptions} showSearch onChange={(field: string) => onChange(build(field, filter.op, value))} />
      <Select style={{ flex: 1 }} value={filter.op} options={FILTER_OPS.map((op) => ({ value: op, label: t(`ops.${op}`) }))}
        onChange={(op: FilterOp) => onChange(build(filter.field, op, value))} />
      {filter.op === 'is_null' || filter.op === 'not_null' ? (
        <div style={{ flex: 2 }} />
      ) : filter.op === 'in' || filter.op === 'not_in' ? (
        <Select style={{ flex: 2 }} mode="tags" value={(value as unknown[]).filter((v) => v !== '').map(String)} open={false}
          placeholder={t('widget.valuesHint')} onChange={(v: string[]) => onChange(build(filter.field, filter.op, v))} />
      ) : filter.op === 'between' ? (
        <Flex style={{ flex: 2 }} gap={4}>
          <Input value={String((value as unknown[])[0] ?? '')} onChange={(e) => onChange(build(filter.field, 'between', [e.target.value, (value as unknown[])[1]]))} />
          <Input value={String((value as unknown[])[1] ?? '')} onChange={(e) => onChange(build(filter.field, 'between', [(value as unknown[])[0], e.target.value]))} />
        </Flex>
      ) : (
        <Input style={{ flex: 2 }} value={String(value ?? '')} maxLength={1000} onChange={(e) => onChange(build(filter.field, filter.op, e.target.value))} />
      )}
      <Button icon={<DeleteOutlined />} onClick={onRemove} />
    </Flex>
  );
}
