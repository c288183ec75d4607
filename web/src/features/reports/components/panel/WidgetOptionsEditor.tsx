import type { WidgetKind, WidgetOptions } from '@shulan/shared';
import { Checkbox, Flex, Form, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ChartOptionsPanel, type ColumnRef } from '../ChartOptionsPanel';

type Flag = 'stacked' | 'horizontal' | 'showLabels' | 'smooth' | 'donut';

const FLAGS: Partial<Record<WidgetKind, Flag[]>> = {
  bar: ['stacked', 'horizontal', 'showLabels'],
  line: ['smooth', 'stacked', 'showLabels'],
  pie: ['donut', 'showLabels'],
  kpi: [],
  table: [],
  text: [],
  area: ['smooth', 'stacked', 'showLabels'],
  combo: ['stacked', 'showLabels', 'smooth'],
  scatter: ['showLabels'],
  funnel: [],
  gauge: [],
  map: ['showLabels'],
  pivot: [],
};

/** Display options of one widget kind; unset flags are left out so saved reports stay small. */
export function WidgetOptionsEditor({
  kind,
  options,
  onChange,
  columns = [],
}: {
  kind: WidgetKind;
  options: WidgetOptions | undefined;
  onChange: (o: WidgetOptions | undefined) => void;
  /** The widget's result columns, for the per-column formats and the combo's axis choice. */
  columns?: ColumnRef[];
}) {
  const { t } = useTranslation();
  const current = options ?? {};
  const set = (patch: Partial<WidgetOptions>) => {
    const next: WidgetOptions = { ...current, ...patch };
    for (const k of Object.keys(next) as (keyof WidgetOptions)[]) {
      if (next[k] === undefined || (next[k] === false && k !== 'linkage') || next[k] === '') delete next[k]; // linkage: false is meaningful
    }
    onChange(Object.keys(next).length ? next : undefined);
  };
  const chartPanel = <ChartOptionsPanel kind={kind} options={current} columns={columns} set={set} />;
  if (kind === 'kpi') {
    return (
      <>
      <Flex gap={12} wrap>
        <Form.Item label={t('widgetOptions.prefix')} style={{ flex: 1 }}>
          <Input maxLength={16} value={current.prefix} placeholder="¥" onChange={(e) => set({ prefix: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('widgetOptions.suffix')} style={{ flex: 1 }}>
          <Input maxLength={16} value={current.suffix} placeholder={t('widgetOptions.suffixExample')} onChange={(e) => set({ suffix: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('widgetOptions.compare')} tooltip={t('widgetOptions.compareHint')} style={{ flex: 2, minWidth: 200 }}>
          <Select
            data-testid="kpi-compare"
            value={current.compare ?? ''}
            onChange={(v: WidgetOptions['compare'] | '') => set({ compare: v || undefined })}
            options={[
              { value: '', label: t('widgetOptions.compareNone') },
              { value: 'previous_period', label: t('widgetOptions.previous_period') },
              { value: 'previous_year', label: t('widgetOptions.previous_year') },
            ]}
          />
        </Form.Item>
      </Flex>
      {chartPanel}
      </>
    );
  }
  if (kind === 'table') {
    return (
      <>
        <Form.Item label={t('widgetOptions.pageSize')}>
          <InputNumber min={1} max={1000} value={current.pageSize} placeholder="20" onChange={(v) => set({ pageSize: v ?? undefined })} />
        </Form.Item>
        {chartPanel}
      </>
    );
  }
  const flags = FLAGS[kind] ?? [];
  if (flags.length === 0) return null;
  return (
    <>
      {flags.length ? (
        <Form.Item label={t('widgetOptions.title')}>
          <Flex gap={16} wrap>
            {flags.map((flag) => (
              <Checkbox key={flag} checked={current[flag] === true} onChange={(e) => set({ [flag]: e.target.checked })}>
                {t(`widgetOptions.${flag}`)}
              </Checkbox>
            ))}
          </Flex>
        </Form.Item>
      ) : null}
      {chartPanel}
    </>
  );
}
