import { CalendarOutlined, FieldNumberOutlined, FieldStringOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import type { DatasetView, Field } from '@shulan/shared';
import { Button, Dropdown, Empty, Flex, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isDateField, isNumericField, type Slot } from '../../reportDraft';
import { startFieldDrag } from './fieldDrag';

/**
 * The left panel: the selected widget's dataset and its fields, grouped as a BI user expects
 * (维度: text, dates, yes/no; 度量: numbers). Drag a field onto a slot of the side panel or onto a
 * widget of the canvas, or use its + menu (keyboard and screen-reader friendly).
 */
export function FieldsPanel({
  datasets,
  datasetId,
  fields,
  slots,
  disabledReason,
  onDataset,
  onAdd,
}: {
  datasets: DatasetView[];
  datasetId: string | undefined;
  fields: Field[];
  /** Slots the selected widget offers, in menu order. */
  slots: Slot[];
  /** Why there is nothing to pick from (no widget selected, a text widget). */
  disabledReason: string | null;
  onDataset: (id: string) => void;
  onAdd: (field: Field, slot: Slot) => void;
}) {
  const { t } = useTranslation();
  if (disabledReason) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={disabledReason} data-testid="fields-empty" />;
  }
  // Aggregate calculated fields (SUM(…)/SUM(…)) are measures whatever their type.
  const dimensions = fields.filter((f) => !isNumericField(f) && !f.aggregate);
  const measures = fields.filter((f) => isNumericField(f) || f.aggregate);
  return (
    <Flex vertical gap={12} data-testid="fields-panel">
      <Select
        data-testid="widget-dataset"
        value={datasetId || undefined}
        placeholder={t('widget.pickDataset')}
        showSearch={{ optionFilterProp: 'label' }}
        options={datasets.map((d) => ({ value: d.id, label: d.name }))}
        onChange={onDataset}
        aria-label={t('widget.dataset')}
      />
      {!datasetId ? <Typography.Text type="secondary">{t('widget.pickDatasetFirst')}</Typography.Text> : null}
      {datasetId ? (
        <>
          <FieldGroup title={t('fields.dimensionGroup')} datasetId={datasetId} fields={dimensions} slots={slots} onAdd={onAdd} />
          <FieldGroup title={t('fields.measureGroup')} datasetId={datasetId} fields={measures} slots={slots} onAdd={onAdd} />
        </>
      ) : null}
    </Flex>
  );
}

function FieldGroup({ title, datasetId, fields, slots, onAdd }: { title: string; datasetId: string; fields: Field[]; slots: Slot[]; onAdd: (f: Field, s: Slot) => void }) {
  const { t } = useTranslation();
  return (
    <div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{title}</Typography.Text>
      <ul className="field-list" aria-label={title}>
        {fields.map((f) => (
          <li key={f.name} className="field-item" draggable onDragStart={(e) => startFieldDrag(e, f, datasetId)} data-testid={`field-${f.name}`} title={t('fields.dragHint')}>
            <HolderOutlined className="field-grip" />
            <FieldIcon field={f} />
            <Typography.Text ellipsis style={{ flex: 1 }}>{f.calculated ? <span title={t('fields.calculated')}>ƒ </span> : null}{f.name}</Typography.Text>
            <Dropdown
              trigger={['click']}
              menu={{ items: slots.map((s) => ({ key: s, label: t(`fields.addAs.${s}`) })), onClick: ({ key }) => onAdd(f, key as Slot) }}
            >
              <Button size="small" type="text" icon={<PlusOutlined />} aria-label={t('fields.addField', { name: f.name })} data-testid={`field-add-${f.name}`} />
            </Dropdown>
          </li>
        ))}
      </ul>
    </div>
  );
}

function FieldIcon({ field }: { field: Field }) {
  if (isNumericField(field)) return <FieldNumberOutlined style={{ color: '#13a8a8' }} />;
  if (isDateField(field)) return <CalendarOutlined style={{ color: '#1677ff' }} />;
  return <FieldStringOutlined style={{ color: '#1677ff' }} />;
}
