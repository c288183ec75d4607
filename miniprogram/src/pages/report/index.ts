import type { ReportDetail, SelectionItem, Widget, WidgetData } from '@shulan/shared';
import { categoryLabel, hierarchyOf, restoreView, selectionFor, type DrillPath } from '@shulan/shared/interaction';
import { decodeViewLink, encodeViewLink, fitLink } from '@shulan/shared/viewLink';
import { fetchSite } from '../../services/auth';
import { loginThenReturn } from '../../services/entry';
import { setFavorite } from '../../services/favorites';
import { watchReport, type LiveHandle } from '../../services/live';
import { isApiError } from '../../services/request';
import { filterValues, getReport, widgetData } from '../../services/reports';
import { decodeFilters, encodeFilters, fromSheetItems, initialState, toSheetItems, type FilterState, type SheetItem } from '../../utils/filters';
import { t, texts } from '../../utils/i18n';
import type { KpiChangeView } from '../../utils/kpiChange';
import { formatSavedAt, isNetworkFailure, loadSnapshot, saveSnapshot, type OfflineSnapshot } from '../../utils/offlineCache';
import { rowsPageUrl } from '../../utils/query';
import { markViewed } from '../../utils/recent';
import { safeSetData } from '../../utils/setDataGuard';
import { storage } from '../../utils/storage';
import { isCanvasKind, type ChartOptions } from '../../utils/charts/index';
import { toTable, watermarkText, type ChartSeries } from '../../utils/widgetData';
import { crumbsOf, diffPaths, inLayoutOrder, isTextWidget, pageSizeOf, rawCategories, refreshPaging, resultView, tableOf } from '../../utils/widgetView';

/** What one widget card shows; plain data for setData. */
export interface WidgetView {
  id: string;
  kind: Widget['kind'];
  title: string;
  loading: boolean;
  error: string;
  empty: boolean;
  total: number;
  kpi?: { label: string; value: string; change: KpiChangeView | null; spark: ChartSeries | null };
  table?: ReturnType<typeof toTable>;
  series?: ChartSeries;
  /** Drawn on the canvas (bar, line, pie, area, combo, scatter, funnel, gauge). */
  chart: boolean;
  /** Map and pivot: web-only charts, listed as a table with a note on the phone. */
  webOnly: boolean;
  chartOpts?: ChartOptions;
  stacked: boolean;
  donut: boolean;
  sortKey: string;
  sortDir: 'asc' | 'desc';
  /** Tables: rows per page and how many pages are shown; `more` while the next page loads. */
  pageSize: number;
  pages: number;
  more: boolean;
  /** Text widgets: the plain text (line breaks kept by the template) and its style. */
  text?: string;
  textStyle?: 'title' | 'body';
  /** Drill-down breadcrumbs (全部 › 华东 › 上海) when the widget has a hierarchy; empty otherwise. */
  crumbs: string[];
}

/** A linkage chip: the categories tapped on one widget, filtering the others. */
export interface LinkChip {
  widgetId: string;
  text: string;
}

/** The tapped point of a chart, offered for drilling. */
export interface Selection {
  widgetId: string;
  index: number;
  category: string;
  series: string;
  value: number;
  /** Offer 筛选其他组件: the widget links (options.linkage) and is at the bottom of its hierarchy. */
  canLink: boolean;
}

/** The card of a widget before its data arrives. */
function cardOf(w: Widget): WidgetView {
  return {
    id: w.id,
    kind: w.kind,
    title: w.title,
    loading: true,
    error: '',
    empty: false,
    total: 0,
    chart: isCanvasKind(w.kind),
    webOnly: w.kind === 'map' || w.kind === 'pivot',
    stacked: w.options?.stacked ?? false,
    donut: w.options?.donut ?? false,
    sortKey: '',
    sortDir: 'asc',
    pageSize: pageSizeOf(w),
    pages: 1,
    more: false,
    crumbs: hierarchyOf(w).length > 1 ? [t('drillAll')] : [],
    ...(isTextWidget(w) ? { loading: false, text: w.options?.text ?? '', textStyle: w.options?.textStyle ?? 'body' } : {}),
  };
}

/** The report with its widgets in reading order, so every index below is a position on the phone. */
function ordered(report: ReportDetail): ReportDetail {
  return { ...report, definition: { ...report.definition, widgets: inLayoutOrder(report.definition.widgets) } };
}

/** One chip per widget with a selection: 区域 = 华东 · 城市 = 上海. */
function linksOf(selection: SelectionItem[]): LinkChip[] {
  const ids = [...new Set(selection.map((s) => s.widgetId))];
  return ids.map((widgetId) => ({
    widgetId,
    text: selection.filter((s) => s.widgetId === widgetId).map((s) => `${s.field} = ${categoryLabel(s.value, s.grain)}`).join(' · '),
  }));
}

const errorText = (err: unknown) => (isApiError(err) ? err.message : t('unreachable'));

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
    selection: null as Selection | null,
    /** Linkage chips shown above the widgets; one tap clears them. */
    links: [] as LinkChip[],
    favorite: false,
    /** Set while showing the offline copy: when that data was fetched. */
    offlineAt: '',
  },
  // Per-instance state that is not rendered (kept off `data` so setData stays small).
  report: null as ReportDetail | null,
  live: null as LiveHandle | null,
  filterState: {} as FilterState,
  /** Linkage (联动): categories tapped on widgets, sent with every widget's data call. */
  linkSelection: [] as SelectionItem[],
  /** Drill-down (下钻) path per widget id. */
  drill: {} as Record<string, DrillPath>,
  /** Raw first-dimension values per widget id, for drilling (the chart shows formatted labels). */
  categories: {} as Record<string, (string | number | boolean | null)[]>,
  /** Per widget id: bumped by every load, so a late answer for an older one is dropped. */
  seq: {} as Record<string, number>,
  /** Set by onUnload: a load still in flight must not start watching afterwards (a leaked socket). */
  unloaded: false,
  /** Set by onHide: the next onShow is a return from background or another page, so refetch. */
  hidden: false,
  /** Widget results of this load, saved as the offline copy once all arrived. */
  seen: {} as Record<string, WidgetData>,
  offline: null as OfflineSnapshot | null,

  async onLoad(query: Record<string, string | undefined>) {
    const id = query.id ?? '';
    this.setData({ id });
    if (!storage.token()) {
      // Opened from a share card without a session: log in first, then come back here to the same view.
      loginThenReturn(id, { filters: query.filters, drill: query.drill, sel: query.sel });
      return;
    }
    this.offline = loadSnapshot(storage.user()?.id ?? '', id);
    let report: ReportDetail;
    try {
      report = await getReport(id);
    } catch (err) {
      if (this.unloaded) return;
      if (isNetworkFailure(err) && this.offline) this.showOffline(this.offline);
      else this.setData({ error: errorText(err) });
      return;
    }
    if (this.unloaded) return;
    this.report = ordered(report);
    markViewed(id);
    void wx.setNavigationBarTitle({ title: this.report.name });
    this.filterState = initialState((this.report as ReportDetail).definition.filters, decodeFilters(query.filters));
    // A shared link's drill-down and linkage: restored before the first load, so it loads that view.
    const view = restoreView((this.report as ReportDetail).definition.widgets, decodeViewLink(query.drill, query.sel));
    this.drill = view.drill;
    this.linkSelection = view.selection;
    this.setData({
      links: linksOf(view.selection),
      name: this.report.name,
      favorite: this.report.favorite === true,
      hasFilters: (this.report as ReportDetail).definition.filters.length > 0,
      activeFilters: this.countActive(),
    });
    void this.loadWatermark();
    await this.loadAll();
    this.watch();
  },

  /** Live refresh, once the report is really loaded (an offline copy starts it when back online). */
  watch() {
    if (this.unloaded || this.live || !this.report || this.data.offlineAt) return;
    this.live = watchReport(this.report.id, () => {
      void wx.showToast({ title: t('updated'), icon: 'none' });
      void this.loadAll();
    });
  },

  onHide() {
    this.hidden = true;
  },

  /** Back from the background (or another page): changes made meanwhile appear. */
  onShow() {
    if (!this.hidden) return;
    this.hidden = false;
    void this.loadAll();
  },

  onUnload() {
    this.unloaded = true;
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

  /**
   * Loads every widget in parallel; each card shows its own error. The card list is sent once;
   * after that (live refresh, filters, pull-down) only what changed is sent, path by path.
   */
  async loadAll() {
    if (!this.report) return;
    const defs = (this.report as ReportDetail).definition.widgets;
    const report = this.report as ReportDetail;
    if (defs.map((w) => w.id).join('\n') !== this.data.widgets.map((w) => w.id).join('\n')) {
      safeSetData(this, { widgets: defs.map(cardOf) });
    }
    this.seen = {};
    const outcomes = await Promise.all(defs.map((w, i) => this.loadWidget(w, i)));
    if (outcomes.includes('offline') || this.report !== report) return;
    if (this.data.offlineAt) this.setData({ offlineAt: '' });
    this.watch();
    const owner = storage.user()?.id;
    if (owner && Object.keys(this.seen).length > 0) {
      const snapshot = { owner, savedAt: new Date().toISOString(), report, filters: this.filterState, widgets: this.seen };
      saveSnapshot(snapshot);
      this.offline = snapshot;
    }
  },

  /** No network and no server: the last data this user saw of the report, with its time. */
  showOffline(snap: OfflineSnapshot) {
    snap = { ...snap, report: ordered(snap.report) };
    this.report = snap.report;
    this.filterState = snap.filters;
    const widgets = snap.report.definition.widgets.map((w) => {
      const data = snap.widgets[w.id];
      if (isTextWidget(w)) return cardOf(w);
      return { ...cardOf(w), ...(data ? resultView(w, data) : { loading: false, error: t('unreachable') }) } as WidgetView;
    });
    void wx.setNavigationBarTitle({ title: snap.report.name });
    safeSetData(this, {
      name: snap.report.name,
      favorite: snap.report.favorite === true,
      hasFilters: snap.report.definition.filters.length > 0,
      activeFilters: this.countActive(),
      offlineAt: formatSavedAt(snap.savedAt),
      widgets,
    });
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

  /** (Re)loads one widget, keeping the table pages already shown, and sends only the changes. */
  async loadWidget(w: Widget, index: number): Promise<'ok' | 'offline' | 'error' | 'stale'> {
    if (!this.report) return 'stale';
    if (isTextWidget(w)) return 'ok';
    const view = this.data.widgets[index]!;
    const sort = view.sortKey ? [{ key: view.sortKey, dir: view.sortDir }] : undefined;
    const seq = (this.seq[w.id] = (this.seq[w.id] ?? 0) + 1);
    let next: Record<string, unknown>;
    let outcome: 'ok' | 'offline' | 'error' = 'ok';
    try {
      const paging = w.kind === 'table' ? refreshPaging(view.pageSize, view.pages) : undefined;
      const path = this.drill[w.id] ?? [];
      const r = await widgetData(this.report.id, w.id, this.filterState, sort, paging, { selection: this.linkSelection, drill: path });
      next = { ...resultView(w, r), more: false, crumbs: crumbsOf(w, path) };
      this.categories[w.id] = rawCategories(w, r, hierarchyOf(w)[path.length]);
      this.seen[w.id] = r;
    } catch (err) {
      // Without network: the offline copy taken under the same filters and order, with its time.
      const copy = this.offline;
      const plain = !sort && this.linkSelection.length === 0 && !this.drill[w.id]?.length;
      const cached = copy && plain && JSON.stringify(copy.filters) === JSON.stringify(this.filterState) ? copy.widgets[w.id] : undefined;
      outcome = isNetworkFailure(err) ? 'offline' : 'error';
      if (outcome === 'offline' && copy && cached) {
        next = { ...resultView(w, cached), more: false };
        this.categories[w.id] = rawCategories(w, cached);
        if (seq === this.seq[w.id]) this.setData({ offlineAt: formatSavedAt(copy.savedAt) });
      } else {
        next = { loading: false, error: errorText(err), more: false };
      }
    }
    if (seq !== this.seq[w.id] || !this.report) return 'stale';
    const patch = diffPaths(`widgets[${index}]`, this.data.widgets[index], next);
    // A refresh that moved the categories makes the tapped point meaningless.
    const sel = this.data.selection;
    if (sel && sel.widgetId === w.id && (next.series as ChartSeries | undefined)?.categories[sel.index] !== sel.category) patch.selection = null;
    safeSetData(this, patch);
    return outcome;
  },

  /** Tables: the next page from the server, appended row by row. */
  async onMore(e: WechatMiniprogram.CustomEvent) {
    if (!this.report) return;
    const id = (e.currentTarget.dataset as { id: string }).id;
    const index = (this.report as ReportDetail).definition.widgets.findIndex((w) => w.id === id);
    const view = this.data.widgets[index];
    if (!view || view.more || view.loading || !view.table || view.table.rows.length >= view.total) return;
    const key = `widgets[${index}]`;
    const seq = (this.seq[id] = (this.seq[id] ?? 0) + 1);
    this.setData({ [`${key}.more`]: true });
    const sort = view.sortKey ? [{ key: view.sortKey, dir: view.sortDir }] : undefined;
    try {
      const r = await widgetData(this.report.id, id, this.filterState, sort, { page: view.pages + 1, pageSize: view.pageSize }, { selection: this.linkSelection });
      if (seq !== this.seq[id]) return;
      const start = view.pages * view.pageSize;
      const patch: Record<string, unknown> = { [`${key}.more`]: false, [`${key}.pages`]: view.pages + 1, [`${key}.total`]: r.total };
      tableOf(r).rows.forEach((row, i) => (patch[`${key}.table.rows[${start + i}]`] = row));
      safeSetData(this, patch);
    } catch (err) {
      if (seq !== this.seq[id]) return;
      this.setData({ [`${key}.more`]: false });
      void wx.showToast({ title: errorText(err), icon: 'none' });
    }
  },

  onSort(e: WechatMiniprogram.CustomEvent<{ key: string; dir: 'asc' | 'desc' }>) {
    if (!this.report) return;
    const id = (e.currentTarget.dataset as { id: string }).id;
    const index = (this.report as ReportDetail).definition.widgets.findIndex((w) => w.id === id);
    if (index < 0) return;
    // A new order starts again at the first page.
    this.setData({ [`widgets[${index}].sortKey`]: e.detail.key, [`widgets[${index}].sortDir`]: e.detail.dir, [`widgets[${index}].pages`]: 1 });
    void this.loadWidget((this.report as ReportDetail).definition.widgets[index]!, index);
  },

  widgetById(id: string): { w: Widget; index: number } | null {
    const widgets = (this.report as ReportDetail | null)?.definition.widgets ?? [];
    const index = widgets.findIndex((x: Widget) => x.id === id);
    return index < 0 ? null : { w: widgets[index]!, index };
  },

  /**
   * A bar/slice/point was tapped (chart `select`): one level down when the widget has a hierarchy
   * below; at the bottom, offer its rows and (联动) filtering the other widgets by it.
   */
  onSelect(e: WechatMiniprogram.CustomEvent<{ index: number; category: string; series: string; value: number }>) {
    const widgetId = (e.currentTarget.dataset as { id: string }).id;
    const { index, category, series, value } = e.detail;
    const found = this.widgetById(widgetId);
    const raw = this.categories[widgetId]?.[index];
    if (!found || raw === undefined) return;
    const path = this.drill[widgetId] ?? [];
    const levels = hierarchyOf(found.w);
    if (path.length < levels.length - 1) {
      this.drillTo(widgetId, [...path, raw]);
      return;
    }
    const canLink = found.w.options?.linkage !== false && levels.length > 0;
    this.setData({ selection: { widgetId, index, category, series, value, canLink } });
  },

  /** Drill-down: the widget at another level of its hierarchy (a breadcrumb goes back up). */
  drillTo(widgetId: string, path: DrillPath) {
    const found = this.widgetById(widgetId);
    if (!found) return;
    this.drill[widgetId] = path;
    this.setData({ selection: null, [`widgets[${found.index}].crumbs`]: crumbsOf(found.w, path) });
    void this.loadWidget(found.w, found.index);
  },

  onCrumb(e: WechatMiniprogram.TouchEvent) {
    const { id, level } = e.currentTarget.dataset as { id: string; level: number };
    const path = this.drill[id] ?? [];
    if (Number(level) < path.length) this.drillTo(id, path.slice(0, Number(level)));
  },

  /** 联动: the tapped category (with the drill path above it) filters every other widget. */
  onLink() {
    const sel = this.data.selection;
    const found = sel ? this.widgetById(sel.widgetId) : null;
    const raw = sel ? this.categories[sel.widgetId]?.[sel.index] : undefined;
    if (!sel || !found || raw === undefined) return;
    const items = selectionFor(found.w, this.drill[sel.widgetId] ?? [], raw);
    this.setLinks([...this.linkSelection.filter((s: SelectionItem) => s.widgetId !== sel.widgetId), ...items]);
  },

  onRemoveLink(e: WechatMiniprogram.TouchEvent) {
    const { id } = e.currentTarget.dataset as { id: string };
    this.setLinks(this.linkSelection.filter((s: SelectionItem) => s.widgetId !== id));
  },

  onClearLinks() {
    this.setLinks([]);
  },

  setLinks(selection: SelectionItem[]) {
    this.linkSelection = selection;
    const patch: Record<string, unknown> = { links: linksOf(selection), selection: null };
    this.data.widgets.forEach((w, i) => {
      if (w.kind === 'table') patch[`widgets[${i}].pages`] = 1;
    });
    this.setData(patch);
    void this.loadAll();
  },

  onClearSelection() {
    this.setData({ selection: null });
  },

  /** Opens the rows behind the selected category, with the report's current filters. */
  onDrill() {
    const sel = this.data.selection;
    if (!sel) return;
    const raw = this.categories[sel.widgetId]?.[sel.index];
    if (raw === undefined) return;
    const w = (this.report as ReportDetail | null)?.definition.widgets.find((x: Widget) => x.id === sel.widgetId);
    const url = rowsPageUrl({
      id: this.data.id,
      widget: sel.widgetId,
      value: raw,
      title: `${w?.title ?? ''} · ${sel.category}`,
      filters: encodeFilters(this.filterState),
      drill: this.drill[sel.widgetId] ?? [],
      selection: this.linkSelection,
    });
    void wx.navigateTo({ url });
  },

  /**
   * ⤢ on a chart card: the same chart in landscape, showing what the card shows: the filters, the
   * card's drill-down level and the linkage (in the share links' compact form, viewLink.ts).
   */
  onFullscreen(e: WechatMiniprogram.TouchEvent) {
    const widgetId = (e.currentTarget.dataset as { id: string }).id;
    const filters = encodeFilters(this.filterState);
    const view = encodeViewLink({ [widgetId]: this.drill[widgetId] ?? [] }, this.linkSelection);
    const base = `/pages/chart/index?id=${encodeURIComponent(this.data.id)}&widget=${encodeURIComponent(widgetId)}${filters ? `&filters=${filters}` : ''}`;
    // No byte limit here (that is for share paths): everything goes along.
    void wx.navigateTo({ url: fitLink(base, [['drill', view.drill], ['sel', view.sel]], Infinity).path });
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
    // Other filters, other rows: tables start again at their first page.
    const patch: Record<string, unknown> = { sheetOpen: false, activeFilters: this.countActive(), selection: null };
    this.data.widgets.forEach((w, i) => {
      if (w.kind === 'table') patch[`widgets[${i}].pages`] = 1;
    });
    this.setData(patch);
    void this.loadAll();
  },

  /**
   * Share inside WeCom: the same report as the sharer sees it (filters, drill-down, linkage). A
   * page path holds at most 1024 bytes: the linkage goes first, then the drill-down, with a note.
   */
  onShareAppMessage() {
    const view = encodeViewLink(this.drill, this.linkSelection);
    const filters = encodeFilters(this.filterState);
    // The filters are kept whatever their length, as before: they are the view's main part.
    const base = `/pages/report/index?id=${encodeURIComponent(this.data.id)}${filters ? `&filters=${filters}` : ''}`;
    const { path, dropped } = fitLink(base, [
      ['drill', view.drill],
      ['sel', view.sel],
    ]);
    if (dropped.length) void wx.showToast({ title: t(dropped.includes('drill') ? 'shareTooLongDrill' : 'shareTooLongSel'), icon: 'none' });
    return { title: this.data.name, path };
  },
});
