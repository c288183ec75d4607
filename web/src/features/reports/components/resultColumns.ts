import { dimensionKey, measureKey, type Aggregate } from '@shulan/shared';
import type { Widget } from '../../../api/types';
import type { ColumnRef } from './ChartOptionsPanel';

/** The columns a widget's query returns, keyed as the server keys them, labelled for the editor. */
export function resultColumns(query: NonNullable<Widget['query']>, aggLabel: (agg: Aggregate) => string): ColumnRef[] {
  if (query.columns?.length) return query.columns.map((f) => ({ key: f, label: f, measure: false }));
  return [
    ...(query.dimensions ?? []).map((d) => ({ key: dimensionKey(d), label: d.field, measure: false })),
    ...(query.measures ?? []).map((m) => ({
      key: measureKey(m),
      label: m.label || (m.field ? `${aggLabel(m.agg)}(${m.field})` : aggLabel('count')),
      measure: true,
    })),
  ];
}
