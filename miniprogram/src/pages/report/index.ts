import type { ReportDetail, Widget, WidgetData } from '@shulan/shared';
import { fetchSite } from '../../services/auth';
import { setFavorite } from '../../services/favorites';
import { watchReport, type LiveHandle } from '../../services/live';
import { ApiError } from '../../services/request';
import { filterValues, getReport, widgetData } from '../../services/reports';
import { decodeFilters, encodeFilters, fromSheetItems, initialState, toSheetItems, type FilterState, type SheetItem } from '../../utils/filters';
import { t, texts } from '../../utils/i18n';
import { toKpiChange, type KpiChangeView } from '../../utils/kpiChange';
import { formatSavedAt, isNetworkFailure, loadSnapshot, saveSnapshot, type OfflineSnapshot } from '../../utils/offlineCache';
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
  kpi?: { label: string; value: string; change: KpiChangeView | null };
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
    favorite: false,
    /** Set while showing the offline copy: when that data was fetched. */
    offlineAt: '',
  },
  // Per-instance state that is not rendered (kept off `data` so setData stays small).
  report: null as ReportDetail | null,
  live: null as LiveHandle | null,
  filterState: {} as FilterState,
  /** Widget results of this load, saved as the offline copy once all arrived. */
  seen: {} as Record<string, WidgetData>,
  offline: null as OfflineSnapshot | null,

  async onLoad(query: Record<string, string | undefined>) {
    const id = query.id ?? '';
    this.setData({ id });
    if (!storage.token()) {
      // Opened from a share card without a session: log in first, then come back here.
      storage.setNotice(t('sessionExpired'));
      void wx.reLaunch({ url: '/pages/login/index' });
      return;
    }
    this.offline = loadSnapshot(storage.user()?.id ?? '', id);
    try {
      this.report = await getReport(id);
    } catch (err) {
      if (isNetworkFailure(err) && this.offline) this.showOffline(this.offline);
      else this.setData({ error: errorText(err) });
      return;
    }
    markViewed(id);
    void wx.setNavigationBarTitle({ title: this.report.name });
    this.filterState = initialState((this.report as ReportDetail).definition.filters, decodeFilters(query.filters));
    this.setData({
      name: this.report.name,
      favorite: this.report.favorite === true,
      hasFilters: (this.report as ReportDetail).definition.filters.length > 0,
      activeFilters: this.countActive(),
    });
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

  /** No network and no server: the last data this user saw of the report, with its time. */
  showOffline(snap: OfflineSnapshot) {
    this.report = snap.report;
    this.filterState = snap.filters;
    const widgets = snap.report.definition.widgets.map((w) => {
      const data = snap.widgets[w.id];
      return { ...this.viewOf(w, null), loading: false, ...(data ? this.dataView(w, data) : { error: t('unreachable') }) } as WidgetView;
    });
    void wx.setNavigationBarTitle({ title: snap.report.name });
    this.setData({
      name: snap.report.name,
      favorite: snap.report.favorite === true,
      hasFilters: snap.report.definition.filters.length > 0,
      activeFilters: this.countActive(),
      offlineAt: formatSavedAt(snap.savedAt),
      widgets,
    });
  },

  /** The card of a widget before its data arrives, keeping what the old card showed. */
  viewOf(w: Widget, old: WidgetView | null | undefined): WidgetView {
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
  },

  /** The parts of a card drawn from a widget's data. */
  dataView(w: Widget, r: WidgetData): Partial<WidgetView> {
    const view: Partial<WidgetView> = { error: '', empty: r.rows.length === 0, total: r.total };
    if (w.kind === 'kpi') view.kpi = { ...toKpi(r, w.options?.prefix, w.options?.suffix), change: toKpiChange(r.comparison, w.options?.compare) };
    else if (w.kind === 'table') view.table = toTable(r);
    else view.series = toSeries(r);
    return view;
  },

  async onToggleFavorite() {
    const next = !this.data.favorite;
    this.setData({ favorite: next });
    try {
      await setFavorite(this.data.id, next);
      void wx.showToast({ title: next ? t('favorite') : t('unfavorite'), icon: 'none' });
    } catch (err) {
      this.setData({ favorite: !next });
      void wx.showToast({ title: errorText(err), icon: 'none' });
    }
  },

  countActive(): number {
    return Object.values(this.filterState).filter((v) => v !== null).length;
  },

  /** Loads every widget in parallel; each card shows its own error. */
  async loadAll() {
    if (!this.report) return;
    const report = this.report as ReportDetail;
    const widgets: WidgetView[] = report.definition.widgets.map((w) => this.viewOf(w, this.data.widgets.find((x) => x.id === w.id)));
    this.setData({ widgets });
    this.seen = {};
    const outcomes = await Promise.all(report.definition.widgets.map((w, i) => this.loadWidget(w, i)));
    if (outcomes.includes('offline')) return;
    if (this.data.offlineAt) this.setData({ offlineAt: '' });
    const owner = storage.user()?.id;
    if (owner && this.report === report && Object.keys(this.seen).length > 0) {
      const snapshot = { owner, savedAt: new Date().toISOString(), report, filters: this.filterState, widgets: this.seen };
      saveSnapshot(snapshot);
      this.offline = snapshot;
    }
  },

  /** Loads one widget; without network it falls back to the offline copy taken under the same filters. */
  async loadWidget(w: Widget, index: number): Promise<'ok' | 'offline' | 'error'> {
    if (!this.report) return 'error';
    const view = this.data.widgets[index]!;
    const sort = view.sortKey ? [{ key: view.sortKey, dir: view.sortDir }] : undefined;
    const key = `widgets[${index}]`;
    const show = (r: WidgetData) => {
      const patch: Record<string, unknown> = { [`${key}.loading`]: false };
      for (const [k, v] of Object.entries(this.dataView(w, r))) patch[`${key}.${k}`] = v;
      this.setData(patch);
    };
    try {
      const r = await widgetData(this.report.id, w.id, this.filterState, sort);
      this.seen[w.id] = r;
      show(r);
      return 'ok';
    } catch (err) {
      const copy = this.offline;
      const cached = copy && !sort && JSON.stringify(copy.filters) === JSON.stringify(this.filterState) ? copy.widgets[w.id] : undefined;
      if (isNetworkFailure(err) && copy && cached) {
        show(cached);
        this.setData({ offlineAt: formatSavedAt(copy.savedAt) });
        return 'offline';
      }
      this.setData({ [`${key}.loading`]: false, [`${key}.error`]: errorText(err) });
      return isNetworkFailure(err) ? 'offline' : 'error';
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
