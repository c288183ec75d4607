import type { DateRangeValue, ReportFilter } from '@shulan/shared';
import { DATE_PRESETS, DATE_PRESET_LABELS, isDatePreset, type DatePreset } from '@shulan/shared/datePresets';

import type { FilterState } from '@shulan/shared/reportLink';

export type { FilterState };

export interface SheetItem {
  id: string;
  label: string;
  kind: 'date_range' | 'values';
  from: string;
  to: string;
  /** A relative date (本月, 近 7 天…) or ''; the server resolves it, so the phone and cards agree. */
  preset: string;
  options: { label: string; value: string | number | boolean; selected: boolean }[];
}

/** The starting values: from the share link when given, else each filter's default. */
export function initialState(filters: ReportFilter[], shared: FilterState | null): FilterState {
  const state: FilterState = {};
  for (const f of filters) state[f.id] = shared && f.id in shared ? (shared[f.id] ?? null) : (f.default ?? null);
  return state;
}

/** Sheet rows for the filters, with the values lists the server offered. */
export function toSheetItems(filters: ReportFilter[], state: FilterState, values: Record<string, (string | number | boolean)[]>): SheetItem[] {
  return filters.map((f) => {
    const v = state[f.id] ?? null;
    const range = v && !Array.isArray(v) ? (v as DateRangeValue) : null;
    const selected = Array.isArray(v) ? v : [];
    return {
      id: f.id,
      label: f.label,
      kind: f.kind,
      from: range?.preset ? '' : (range?.from ?? ''),
      to: range?.preset ? '' : (range?.to ?? ''),
      preset: range?.preset ?? '',
      options: (values[f.id] ?? []).map((o) => ({ label: String(o), value: o, selected: selected.includes(o) })),
    };
  });
}

/** Filter values from the sheet (empty = no filtering, sent as null). */
export function fromSheetItems(items: SheetItem[]): FilterState {
  const state: FilterState = {};
  for (const i of items) {
    if (i.kind === 'date_range') {
      state[i.id] = isDatePreset(i.preset) ? { preset: i.preset } : i.from || i.to ? { from: i.from || null, to: i.to || null } : null;
    }
    else {
      const chosen = i.options.filter((o) => o.selected).map((o) => o.value);
      state[i.id] = chosen.length ? chosen : null;
    }
  }
  return state;
}

// The link encoding is shared with the server, which puts the same links on WeCom report cards.
export { decodeFilters, encodeFilters } from '@shulan/shared/reportLink';

/** The relative-date chips of the filter sheet, in the phone's language. */
export function presetChips(lang: 'zh' | 'en'): { value: DatePreset; label: string }[] {
  return DATE_PRESETS.map((p) => ({ value: p, label: DATE_PRESET_LABELS[p][lang] }));
}
