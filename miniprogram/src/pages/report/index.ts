import type { ReportDetail, Widget } from '@shulan/shared';
import { fetchSite } from '../../services/auth';
import { loginThenReturn } from '../../services/entry';
import { watchReport, type LiveHandle } from '../../services/live';
import { ApiError } from '../../services/request';
import { filterValues, getReport, widgetData } from '../../services/reports';
import { decodeFilters, encodeFilters, fromSheetItems, initialState, toSheetItems, type FilterState, type SheetItem } from '../../utils/filters';
import { t, texts } from '../../utils/i18n';
import { markViewed } from '../../utils/recent';
import { storage } from '../../utils/storage';
import { toKpi, toSeries, toTable, watermarkText, type ChartSeries } from '../../utils/widgetData';

/** What one widget card shows; plain data for setData. */
export interface WidgetView {
  id: string;
  kind: Widget['kind'];
  title: string;
  loading: boolean;
  error: string;
  empty: boolean;
  total: number;
  kpi?: { label: string; value: string };
  table?: ReturnType<typeof toTable>;
  series?: ChartSeries;
  stacked: boolean;
  donut: boolean;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

const errorText = (err: unknown) => (err instanceof ApiError ? err.message : t('unreachable'));

/** One report: every widget, report filters in a bottom sheet, watermark, share, live refresh. */
Page({
  data: {
    t: texts(),
    id: '',
    name: '',
    error: '',
    widgets: [] as WidgetView[],
    hasFilters: false,
    activeFilters: 0,
    sheetOpen: false,
    sheetItems: [] as SheetItem[],
    watermark: '',
  },
  // Per-instance state that is not rendered (kept off `data` so setData stays small).
  report: null as ReportDetail | null,
  live: null as LiveHandle | null,
  filterState: {} as FilterState,

  async onLoad(query: Record<string, string | undefined>) {
    const id = query.id ?? '';
    this.setData({ id });
    if (!storage.token()) {
      // Opened from a share card without a session: log in first, then come back here with the filters.
      loginThenReturn(id, query.filters);
      return;
    }
    try {
      this.report = await getReport(id);
    } catch (err) {
      this.setData({ error: errorText(err) });
      return;
    }
    markViewed(id);
    void wx.setNavigationBarTitle({ title: this.report.name });
    this.filterState = initialState((this.report as ReportDetail).definition.filters, decodeFilters(query.filters));
    this.setData({ name: this.report.name, hasFilters: (this.report as ReportDetail).definition.filters.length > 0, activeFilters: this.countActive() });
    void this.loadWatermark();
    await this.loadAll();
    this.live = watchReport(id, () => {
      void wx.showToast({ title: t('updated'), icon: 'none' });
      void this.loadAll();
    });
  },

  onUnload() {
    this.live?.close();
    this.live = null;
    this.report = null;
  },

  async onPullDownRefresh() {
    await this.loadAll();
    wx.stopPullDownRefresh();
  },

  async loadWatermark() {
    const user = storage.user();
    if (!user) return;
    try {
      const site = await fetchSite();
      if (site.watermark === false) return;
    } catch {
      // Unknown setting: keep the deterrent on.
    }
    this.setData({ watermark: watermarkText(user.displayName, user.id) });
  },

  countActive(): number {
    return Object.values(this.filterState).filter((v) => v !== null).length;
  },

  /** Loads every widget in parallel; each card shows its own error. */
  async loadAll() {
    if (!this.report) return;
    const widgets: WidgetView[] = (this.report as ReportDetail).definition.widgets.map((w) => {
      const old = this.data.widgets.find((x) => x.id === w.id);
      return {
        id: w.id,
        kind: w.kind,
        title: w.title,
        loading: !old,
        error: '',
        empty: false,
        total: 0,
        stacked: w.options?.stacked ?? false,
        donut: w.options?.donut ?? false,
        sortKey: old?.sortKey ?? '',
        sortDir: old?.sortDir ?? 'asc',
        ...(old?.kpi ? { kpi: old.kpi } : {}),
        ...(old?.table ? { table: old.table } : {}),
        ...(old?.series ? { series: old.series } : {}),
      };
    });
    this.setData({ widgets });
    await Promise.all((this.report as ReportDetail).definition.widgets.map((w, i) => this.loadWidget(w, i)));
  },

  async loadWidget(w: Widget, index: number) {
    if (!this.report) return;
    const view = this.data.widgets[index]!;
    const sort = view.sortKey ? [{ key: view.sortKey, dir: view.sortDir }] : undefined;
    const key = `widgets[${index}]`;
    try {
      const r = await widgetData(this.report.id, w.id, this.filterState, sort);
      const patch: Record<string, unknown> = { [`${key}.loading`]: false, [`${key}.error`]: '', [`${key}.empty`]: r.rows.length === 0, [`${key}.total`]: r.total };
      if (w.kind === 'kpi') patch[`${key}.kpi`] = toKpi(r, w.options?.prefix, w.options?.suffix);
      else if (w.kind === 'table') patch[`${key}.table`] = toTable(r);
      else patch[`${key}.series`] = toSeries(r);
      this.setData(patch);
    } catch (err) {
      this.setData({ [`${key}.loading`]: false, [`${key}.error`]: errorText(err) });
    }
  },

  onSort(e: WechatMiniprogram.CustomEvent<{ key: string; dir: 'asc' | 'desc' }>) {
    if (!this.report) return;
    const id = (e.currentTarget.dataset as { id: string }).id;
    const index = (this.report as ReportDetail).definition.widgets.findIndex((w) => w.id === id);
    if (index < 0) return;
    this.setData({ [`widgets[${index}].sortKey`]: e.detail.key, [`widgets[${index}].sortDir`]: e.detail.dir });
    void this.loadWidget((this.report as ReportDetail).definition.widgets[index]!, index);
  },

  async onOpenFilters() {
    if (!this.report) return;
    const values: Record<string, (string | number | boolean)[]> = {};
    await Promise.all(
      (this.report as ReportDetail).definition.filters
        .filter((f) => f.kind === 'values')
        .map(async (f) => {
          try {
            values[f.id] = (await filterValues(this.report!.id, f.id)).values;
          } catch {
            values[f.id] = [];
          }
        }),
    );
    this.setData({ sheetItems: toSheetItems((this.report as ReportDetail).definition.filters, this.filterState, values), sheetOpen: true });
  },

  onCloseFilters() {
    this.setData({ sheetOpen: false });
  },

  onApplyFilters(e: WechatMiniprogram.CustomEvent<{ items: SheetItem[] }>) {
    this.filterState = fromSheetItems(e.detail.items);
    this.setData({ sheetOpen: false, activeFilters: this.countActive() });
    void this.loadAll();
  },

  /** Share inside WeCom: the same report with the same filters. */
  onShareAppMessage() {
    const filters = encodeFilters(this.filterState);
    return {
      title: this.data.name,
      path: `/pages/report/index?id=${encodeURIComponent(this.data.id)}${filters ? `&filters=${filters}` : ''}`,
    };
  },
});
