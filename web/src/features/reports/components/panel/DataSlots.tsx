import { DeleteOutlined } from '@ant-design/icons';
import { AGGREGATES, DATE_GRAINS, type Field, type WidgetKind } from '@shulan/shared';
import { Button, Flex, Input, Select, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { dropField, isDateField, maxDimensions, type Dimension, type Measure, type Query, type Slot } from '../../reportDraft';
import { droppedField, isFieldDrag } from '../fields/fieldDrag';
import { FilterRow } from './FilterRow';

/**
 * The 维度 / 度量 / 筛选 slots of a data widget (列 for a detail table): drop a field from the
 * fields panel onto a slot, or use its + menu there. Each entry is edited in place.
 */
export function DataSlots({ kind, fields, query, onChange }: { kind: WidgetKind; fields: Field[]; query: Query; onChange: (q: Query, mark?: string) => void }) {
  const { t } = useTranslation();
  const dims = query.dimensions ?? [];
  const measures = query.measures ?? [];
  const filters = query.filters ?? [];
  const detailTable = kind === 'table' && query.columns !== undefined;
  const typeOf = (name: string | undefined) => fields.find((f) => f.name === name)?.type;
  const isAggregateField = (name: string | undefined) => fields.some((f) => f.name === name && f.aggregate);
  const replace = <T,>(list: T[], i: number, item: T) => list.map((x, j) => (j === i ? item : x));
  const without = <T,>(list: T[], i: number) => list.filter((_, j) => j !== i);
  const drop = (slot: Slot) => (field: Field) => onChange(dropField(kind, query, field, slot));

  return (
    <Flex vertical gap={12}>
      {detailTable ? (
        <SlotBox slot="column" label={t('widget.columns')} fields={fields} onDrop={drop('column')}>
          {(query.columns ?? []).map((c, i) => (
            <Flex key={c} gap={4} align="center" className="slot-item" data-testid="slot-column-item">
              <Typography.Text ellipsis style={{ flex: 1 }}>{c}</Typography.Text>
              <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange({ ...query, columns: without(query.columns ?? [], i) })} />
            </Flex>
          ))}
        </SlotBox>
      ) : (
        <>
          {maxDimensions(kind) > 0 ? (
            <SlotBox slot="dimension" label={t('widget.dimensions')} hint={t('fields.dimensionHint', { n: maxDimensions(kind) })} fields={fields} onDrop={drop('dimension')}>
              {dims.map((d, i) => (
                <Flex key={`${d.field}-${i}`} gap={4} align="center" className="slot-item" data-testid="slot-dimension-item">
                  <Typography.Text ellipsis style={{ flex: 1 }}>{d.field}</Typography.Text>
                  {typeOf(d.field) && isDateField({ name: d.field, type: typeOf(d.field)! }) ? (
                    <Select size="small" style={{ width: 80 }} value={d.grain} allowClear placeholder={t('widget.grain')} aria-label={t('widget.grain')}
                      options={DATE_GRAINS.map((g) => ({ value: g, label: t(`grains.${g}`) }))}
                      onChange={(grain?: Dimension['grain']) => onChange({ ...query, dimensions: replace<Dimension>(dims, i, { field: d.field, ...(grain ? { grain } : {}) }) })} />
                  ) : null}
                  <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange({ ...query, dimensions: without(dims, i) })} />
                </Flex>
              ))}
            </SlotBox>
          ) : null}
          <SlotBox slot="measure" label={t('widget.measures')} hint={kind === 'kpi' ? t('fields.kpiMeasureHint') : undefined} fields={fields} onDrop={drop('measure')}>
            {measures.map((m, i) => (
              <Flex key={i} vertical gap={4} className="slot-item" data-testid="slot-measure-item">
                <Flex gap={4} align="center">
                  <Typography.Text ellipsis style={{ flex: 1 }}>{m.field ?? t('widget.allRows')}</Typography.Text>
                  <Select size="small" style={{ width: 96 }} value={m.agg} aria-label={t('fields.aggregate')} data-testid="measure-agg"
                    options={AGGREGATES.filter((a) => (isAggregateField(m.field) ? a === 'calc' : a !== 'calc' && (a === 'count' || a === 'count_distinct' || !m.field || isNumeric(typeOf(m.field))))).map((a) => ({ value: a, label: t(`aggregates.${a}`) }))}
                    onChange={(agg: Measure['agg']) => onChange({ ...query, measures: replace<Measure>(measures, i, { ...m, agg }) })} />
                  <Button size="small" type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange({ ...query, measures: without(measures, i) })} />
                </Flex>
                <Input size="small" value={m.label} placeholder={t('widget.measureLabel')} maxLength={64}
                  onChange={(e) => onChange({ ...query, measures: replace<Measure>(measures, i, { ...m, label: e.target.value || undefined }) }, `measure-label:${i}`)} />
              </Flex>
            ))}
            {measures.length === 0 ? (
              <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onChange({ ...query, measures: [{ agg: 'count' }] })}>{t('fields.countRows')}</Button>
            ) : null}
          </SlotBox>
        </>
      )}
      <SlotBox slot="filter" label={t('widget.filters')} fields={fields} onDrop={drop('filter')}>
        {filters.map((f, i) => (
          <FilterRow key={i} filter={f} onChange={(nf) => onChange({ ...query, filters: replace(filters, i, nf) }, `filter:${i}`)} onRemove={() => onChange({ ...query, filters: without(filters, i) })} />
        ))}
      </SlotBox>
    </Flex>
  );
}

const isNumeric = (type: string | undefined) => type === 'number' || type === 'integer';

/** A drop target: highlighted while a field is dragged over it. */
function SlotBox({ slot, label, hint, fields, onDrop, children }: { slot: Slot; label: string; hint?: string; fields: Field[]; onDrop: (f: Field) => void; children: ReactNode }) {
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const empty = Array.isArray(children) ? children.flat().filter(Boolean).length === 0 : !children;
  return (
    <div>
      <Typography.Text strong>{label}</Typography.Text>
      {hint ? <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>{hint}</Typography.Text> : null}
      <div
        className={`field-slot${over ? ' field-slot-over' : ''}`}
        data-testid={`slot-${slot}`}
        onDragOver={(e) => {
          if (!isFieldDrag(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          setOver(false);
          if (!isFieldDrag(e)) return;
          e.preventDefault();
          const field = droppedField(e, fields);
          if (field) onDrop(field);
        }}
      >
        {children}
        {empty ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('fields.dropHere')}</Typography.Text> : null}
      </div>
    </div>
  );
}
