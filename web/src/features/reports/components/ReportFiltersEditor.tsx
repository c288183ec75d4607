import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { DatasetView, Field, ReportFilter } from '@shulan/shared';
import { Button, Card, Empty, Flex, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { newId } from '../reportDraft';
import { PresetSelect } from './FilterBar';

type Kind = ReportFilter['kind'];

/**
 * Report-level filters: a date range or a value list on a field name. The server applies a filter
 * to every widget whose dataset has that field, so the choices are the fields of the datasets in use.
 */
export function ReportFiltersEditor({
  filters,
  datasets,
  usedDatasetIds,
  onChange,
}: {
  filters: ReportFilter[];
  datasets: DatasetView[];
  usedDatasetIds: string[];
  onChange: (f: ReportFilter[]) => void;
}) {
  const { t } = useTranslation();
  const replace = (i: number, patch: Partial<ReportFilter>) => onChange(filters.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const fields = new Map<string, { field: Field; datasets: string[] }>();
  for (const d of datasets.filter((x) => usedDatasetIds.includes(x.id))) {
    for (const f of d.fields) {
      const entry = fields.get(f.name) ?? { field: f, datasets: [] };
      entry.datasets.push(d.name);
      fields.set(f.name, entry);
    }
  }
  const optionsFor = (kind: Kind) =>
    [...fields.values()]
      .filter(({ field }) => (kind === 'date_range' ? field.type === 'date' || field.type === 'datetime' : true))
      .map(({ field, datasets: names }) => ({ value: field.name, label: `${field.name} · ${names.join(', ')}` }));

  return (
    <Flex vertical gap={12}>
      <Typography.Text type="secondary">{t('reportFilters.hint')}</Typography.Text>
      {filters.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reportFilters.empty')} /> : null}
      {filters.map((f, i) => (
        <Card size="small" key={f.id}>
          <Flex gap={8} wrap>
            <Input
              style={{ width: 180 }}
              value={f.label}
              placeholder={t('reportFilters.label')}
              maxLength={64}
              status={f.label.trim() ? undefined : 'error'}
              data-testid="report-filter-label"
              onChange={(e) => replace(i, { label: e.target.value })}
            />
            <Select<Kind>
              style={{ width: 140 }}
              value={f.kind}
              data-testid="report-filter-kind"
              options={[
                { value: 'date_range', label: t('reportFilters.dateRange') },
                { value: 'values', label: t('reportFilters.values') },
              ]}
              onChange={(kind) => replace(i, { kind, field: '', default: undefined })}
            />
            <Select
              style={{ minWidth: 280 }}
              value={f.field || undefined}
              placeholder={t('widget.field')}
              showSearch={{ optionFilterProp: 'label' }}
              options={optionsFor(f.kind)}
              status={f.field ? undefined : 'error'}
              data-testid="report-filter-field"
              onChange={(field: string) => replace(i, { field, label: f.label || field })}
            />
            {f.kind === 'date_range' ? (
              <Flex gap={4} align="center">
                <Typography.Text type="secondary">{t('interaction.defaultPreset')}</Typography.Text>
                <PresetSelect value={f.default ?? undefined} onChange={(p) => replace(i, { default: p ? { preset: p } : undefined })} />
              </Flex>
            ) : null}
            <Button icon={<DeleteOutlined />} onClick={() => onChange(filters.filter((_, j) => j !== i))} aria-label={t('common.delete')} />
          </Flex>
        </Card>
      ))}
      <div>
        <Button
          type="dashed"
          icon={<PlusOutlined />}
          disabled={fields.size === 0}
          data-testid="report-filter-add"
          onClick={() => onChange([...filters, { id: newId('f'), label: '', kind: 'values', field: '' }])}
        >
          {t('reportFilters.add')}
        </Button>
      </div>
    </Flex>
  );
}
