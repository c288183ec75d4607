import { CURRENCIES, FORMAT_DATE_GRAINS, FORMAT_UNITS, type FieldFormat, type WidgetKind, type WidgetOptions } from '@shulan/shared';
import { Checkbox, Collapse, Flex, Form, InputNumber, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** A result column the widget draws: its key (`sum__销售额`) and what the editor calls it. */
export interface ColumnRef {
  key: string;
  label: string;
  measure: boolean;
}

/**
 * The options of the chart kinds added with the chart gallery (percent stacks, combo axes, gauge
 * scale, sparkline, pivot layout) and the per-column number formats of every kind.
 */
export function ChartOptionsPanel({
  kind,
  options,
  columns,
  set,
}: {
  kind: WidgetKind;
  options: WidgetOptions;
  columns: ColumnRef[];
  set: (patch: Partial<WidgetOptions>) => void;
}) {
  const { t } = useTranslation();
  const measures = columns.filter((c) => c.measure);
  return (
    <>
      {kind === 'bar' || kind === 'line' || kind === 'area' ? (
        <Checkbox checked={options.percent === true} onChange={(e) => set({ percent: e.target.checked })} data-testid="opt-percent" style={{ marginBottom: 12 }}>
          {t('chartOptions.percent')}
        </Checkbox>
      ) : null}
      {kind === 'combo' ? (
        <Form.Item label={t('chartOptions.secondaryMeasures')} tooltip={t('chartOptions.secondaryHint')}>
          <Select
            mode="multiple"
            data-testid="opt-secondary"
            value={options.secondaryMeasures ?? []}
            options={measures.map((m) => ({ value: m.key, label: m.label }))}
            onChange={(v: string[]) => set({ secondaryMeasures: v.length ? v : undefined })}
          />
        </Form.Item>
      ) : null}
      {kind === 'gauge' ? (
        <Form.Item label={t('chartOptions.gaugeMax')} tooltip={t('chartOptions.gaugeMaxHint')}>
          <InputNumber min={0} value={options.gaugeMax} onChange={(v) => set({ gaugeMax: typeof v === 'number' && v > 0 ? v : undefined })} />
        </Form.Item>
      ) : null}
      {kind === 'kpi' ? (
        <Form.Item tooltip={t('chartOptions.sparklineHint')} label={null}>
          <Checkbox checked={options.sparkline === true} onChange={(e) => set({ sparkline: e.target.checked })} data-testid="opt-sparkline">
            {t('chartOptions.sparkline')}
          </Checkbox>
        </Form.Item>
      ) : null}
      {kind === 'pivot' ? (
        <Flex gap={16} wrap align="center">
          <Form.Item label={t('chartOptions.pivotColumns')} tooltip={t('chartOptions.pivotColumnsHint')}>
            <InputNumber min={0} max={4} value={options.pivotColumns} placeholder="1" onChange={(v) => set({ pivotColumns: typeof v === 'number' ? v : undefined })} />
          </Form.Item>
          <Checkbox checked={options.subtotals === true} onChange={(e) => set({ subtotals: e.target.checked })} data-testid="opt-subtotals">
            {t('chartOptions.subtotals')}
          </Checkbox>
        </Flex>
      ) : null}
      {kind === 'map' ? <Typography.Paragraph type="secondary">{t('chartOptions.mapHint')}</Typography.Paragraph> : null}
      {kind === 'scatter' ? <Typography.Paragraph type="secondary">{t('chartOptions.scatterHint')}</Typography.Paragraph> : null}
      {columns.length ? <FormatsPanel columns={columns} formats={options.formats} onChange={(formats) => set({ formats })} /> : null}
    </>
  );
}

/** One row per result column: its format kind and the settings that kind has. */
function FormatsPanel({
  columns,
  formats,
  onChange,
}: {
  columns: ColumnRef[];
  formats: Record<string, FieldFormat> | undefined;
  onChange: (f: Record<string, FieldFormat> | undefined) => void;
}) {
  const { t } = useTranslation();
  const put = (key: string, f: FieldFormat | undefined) => {
    const next = { ...(formats ?? {}) };
    if (f) next[key] = f;
    else delete next[key];
    onChange(Object.keys(next).length ? next : undefined);
  };
  const rows = columns.map((c) => {
    const f = formats?.[c.key];
    const patch = (p: Partial<FieldFormat>) => {
      const merged: FieldFormat = { ...(f ?? { kind: 'number' }), ...p };
      for (const k of Object.keys(merged) as (keyof FieldFormat)[]) if (merged[k] === undefined) delete merged[k];
      put(c.key, merged);
    };
    return (
      <Flex key={c.key} gap={8} wrap align="center" style={{ marginBottom: 8 }} data-testid={`format-${c.key}`}>
        <Typography.Text style={{ minWidth: 80 }} ellipsis>
          {c.label}
        </Typography.Text>
        <Select
          size="small"
          style={{ width: 96 }}
          value={f?.kind ?? ''}
          onChange={(k: FieldFormat['kind'] | '') => put(c.key, k ? { kind: k } : undefined)}
          options={[
            { value: '', label: t('formats.none') },
            ...(['number', 'percent', 'currency', 'date'] as const).map((k) => ({ value: k, label: t(`formats.${k}`) })),
          ]}
        />
        {f && f.kind !== 'date' ? (
          <>
            <InputNumber size="small" min={0} max={10} style={{ width: 72 }} placeholder={t('formats.decimals')} value={f.decimals} onChange={(v) => patch({ decimals: typeof v === 'number' ? v : undefined })} />
            <Select
              size="small"
              style={{ width: 120 }}
              value={f.unit ?? 'none'}
              onChange={(u: FieldFormat['unit']) => patch({ unit: u === 'none' ? undefined : u })}
              options={FORMAT_UNITS.map((u) => ({ value: u, label: t(`formats.${u === 'none' ? 'unitNone' : u}`) }))}
            />
            <Checkbox checked={f.thousands !== false} onChange={(e) => patch({ thousands: e.target.checked ? undefined : false })}>
              {t('formats.thousands')}
            </Checkbox>
          </>
        ) : null}
        {f?.kind === 'currency' ? (
          <Select size="small" style={{ width: 80 }} value={f.currency ?? 'CNY'} onChange={(cur: FieldFormat['currency']) => patch({ currency: cur })} options={CURRENCIES.map((x) => ({ value: x, label: x }))} />
        ) : null}
        {f?.kind === 'date' ? (
          <Select
            size="small"
            style={{ width: 96 }}
            value={f.dateGrain ?? 'day'}
            onChange={(g: FieldFormat['dateGrain']) => patch({ dateGrain: g })}
            options={FORMAT_DATE_GRAINS.map((g) => ({ value: g, label: t(`grains.${g}`) }))}
          />
        ) : null}
      </Flex>
    );
  });
  return <Collapse size="small" style={{ marginBottom: 12 }} items={[{ key: 'formats', label: t('formats.title'), children: rows }]} />;
}
