import { DATE_GRAINS, type Field, type WidgetInput, type WidgetOptions } from '@shulan/shared';
import { Form, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';

type Level = NonNullable<WidgetOptions['drillFields']>[number];
const encode = (l: Level) => (l.grain ? `${l.field}\u0000${l.grain}` : l.field);
const decode = (s: string): Level => {
  const [field = '', grain] = s.split('\u0000');
  return grain ? { field, grain: grain as Level['grain'] } : { field };
};

/**
 * The widget's interaction settings: whether a click filters the other widgets (联动, on by
 * default) and the drill-down hierarchy below its first dimension (城市 → 门店, 年 → 月 → 日).
 */
export function InteractionSettings({ widget, fields, onChange }: { widget: WidgetInput; fields: Field[]; onChange: (options: WidgetOptions | undefined) => void }) {
  const { t } = useTranslation();
  const first = widget.query?.dimensions?.[0];
  if (widget.kind === 'kpi' || !first) return null;
  const current = widget.options ?? {};
  const set = (patch: Partial<WidgetOptions>) => {
    const next: WidgetOptions = { ...current, ...patch };
    if (next.linkage !== false) delete next.linkage; // on is the default: keep saved reports small
    if (!next.drillFields?.length) delete next.drillFields;
    onChange(Object.keys(next).length ? next : undefined);
  };
  const firstKey = encode(first);
  const options = fields.flatMap((f) =>
    f.type === 'date' || f.type === 'datetime'
      ? DATE_GRAINS.map((g) => ({ value: encode({ field: f.name, grain: g }), label: `${f.name}（${t(`grains.${g}`)}）` }))
      : [{ value: f.name, label: f.name }],
  ).filter((o) => o.value !== firstKey);
  return (
    <>
      <Form.Item label={t('interaction.linkage')}>
        <Switch data-testid="widget-linkage" checked={current.linkage !== false} onChange={(on) => set({ linkage: on })} />
      </Form.Item>
      {widget.kind !== 'table' ? (
        <Form.Item label={t('interaction.drillLevels')} tooltip={t('interaction.drillLevelsHint')}>
          <Select
            mode="multiple"
            data-testid="widget-drill-fields"
            placeholder={t('interaction.pickLevel')}
            value={(current.drillFields ?? []).map(encode)}
            options={options}
            onChange={(v: string[]) => set({ drillFields: v.map(decode) })}
          />
        </Form.Item>
      ) : null}
    </>
  );
}
