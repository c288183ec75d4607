import { Card, DatePicker, Flex, Select, Typography } from 'antd';
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
              <DatePicker.RangePicker
                value={rangeOf(values[f.id])}
                presets={presets(t)}
                onChange={(range) =>
                  set(f.id, range && range[0] && range[1] ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : null)
                }
              />
            ) : (
              <ValuesSelect reportId={reportId} viewAs={viewAs} filter={f} value={Array.isArray(values[f.id]) ? (values[f.id] as (string | number | boolean)[]) : []} onChange={(v) => set(f.id, v.length ? v : null)} />
            )}
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}

/** Quick picks; ranges end today (or at the end of the last whole period). */
function presets(t: (k: string) => string): { label: string; value: [dayjs.Dayjs, dayjs.Dayjs] }[] {
  const today = dayjs();
  return [
    { label: t('filterBar.last7'), value: [today.subtract(6, 'day'), today] },
    { label: t('filterBar.last30'), value: [today.subtract(29, 'day'), today] },
    { label: t('filterBar.thisMonth'), value: [today.startOf('month'), today] },
    { label: t('filterBar.lastMonth'), value: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')] },
    { label: t('filterBar.thisYear'), value: [today.startOf('year'), today] },
    { label: t('filterBar.lastYear'), value: [today.subtract(1, 'year').startOf('year'), today.subtract(1, 'year').endOf('year')] },
  ];
}

function rangeOf(v: FilterValue | undefined): [dayjs.Dayjs, dayjs.Dayjs] | null {
  if (!v || Array.isArray(v) || !v.from || !v.to) return null;
  return [dayjs(v.from), dayjs(v.to)];
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
