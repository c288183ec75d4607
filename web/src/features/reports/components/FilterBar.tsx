import { DATE_PRESETS, DATE_PRESET_LABELS, resolveDatePreset, type DatePreset } from '@shulan/shared';
import { Card, DatePicker, Flex, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterValue, ReportFilter } from '../../../api/types';
import { useFilterValues } from '../useReports';

/** The report-level filters; every widget re-queries when a value changes. */
export function FilterBar({
  reportId,
  filters,
  values,
  onChange,
  viewAs,
}: {
  reportId: string;
  filters: ReportFilter[];
  values: Record<string, FilterValue>;
  onChange: (next: Record<string, FilterValue>) => void;
  /** An admin's view-as ticket: the value lists the chosen user would get. */
  viewAs?: string;
}) {
  const { t } = useTranslation();
  if (filters.length === 0) return null;
  // A cleared filter is sent as null so a saved default does not silently come back.
  const set = (id: string, v: FilterValue) => onChange({ ...values, [id]: v });
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="filter-bar">
      <Flex wrap gap={16} align="center">
        {filters.map((f) => (
          <Flex key={f.id} gap={8} align="center">
            <Typography.Text type="secondary">{f.label}</Typography.Text>
            {f.kind === 'date_range' ? (
              <Space.Compact>
                <PresetSelect value={values[f.id]} onChange={(preset) => set(f.id, preset ? { preset } : null)} testId={`filter-preset-${f.id}`} />
                <DatePicker.RangePicker
                  value={rangeOf(values[f.id])}
                  data-testid={`filter-range-${f.id}`}
                  onChange={(range) =>
                    set(f.id, range && range[0] && range[1] ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : null)
                  }
                />
              </Space.Compact>
            ) : (
              <ValuesSelect reportId={reportId} viewAs={viewAs} filter={f} value={Array.isArray(values[f.id]) ? (values[f.id] as (string | number | boolean)[]) : []} onChange={(v) => set(f.id, v.length ? v : null)} />
            )}
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}

/**
 * Relative dates (本月, 近 7 天…): saved as the preset, not as days, so the link and the default keep
 * meaning "this month"; the server resolves them in its time zone.
 */
export function PresetSelect({ value, onChange, testId }: { value: FilterValue | undefined; onChange: (p: DatePreset | null) => void; testId?: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const preset = value && !Array.isArray(value) ? value.preset : undefined;
  return (
    <Select<DatePreset | ''>
      data-testid={testId}
      style={{ width: 128 }}
      value={preset ?? ''}
      onChange={(p) => onChange(p || null)}
      options={[{ value: '', label: t('interaction.custom') }, ...DATE_PRESETS.map((p) => ({ value: p, label: DATE_PRESET_LABELS[p][lang] }))]}
    />
  );
}

/** The days shown in the picker; a preset shows its days by this browser's calendar (the server's decides the data). */
function rangeOf(v: FilterValue | undefined): [dayjs.Dayjs, dayjs.Dayjs] | null {
  if (!v || Array.isArray(v)) return null;
  const r = v.preset ? resolveDatePreset(v.preset, dayjs().format('YYYY-MM-DD')) : v;
  if (!r.from || !r.to) return null;
  return [dayjs(r.from), dayjs(r.to)];
}

function ValuesSelect({
  reportId,
  viewAs,
  filter,
  value,
  onChange,
}: {
  reportId: string;
  viewAs?: string;
  filter: ReportFilter;
  value: (string | number | boolean)[];
  onChange: (v: (string | number | boolean)[]) => void;
}) {
  const [q, setQ] = useState('');
  const options = useFilterValues(reportId, filter.id, q, viewAs);
  return (
    <Select
      mode="multiple"
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      maxTagCount="responsive"
      style={{ minWidth: 220 }}
      value={value.map(String)}
      loading={options.isFetching}
      options={(options.data?.values ?? []).map((v) => ({ value: String(v), label: String(v) }))}
      onChange={(v: string[]) => onChange(v)}
    />
  );
}
