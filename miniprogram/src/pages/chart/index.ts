import type { SelectionItem, Widget } from '@shulan/shared';
import { hierarchyOf, restoreView, type DrillPath } from '@shulan/shared/interaction';
import { decodeViewLink } from '@shulan/shared/viewLink';
import { watchReport, type LiveHandle } from '../../services/live';
import { ApiError, isApiError } from '../../services/request';
import { getReport, widgetData } from '../../services/reports';
import { decodeFilters, encodeFilters, initialState, type FilterState } from '../../utils/filters';
import { t, texts } from '../../utils/i18n';
import { queryValue, rowsPageUrl } from '../../utils/query';
import { safeSetData } from '../../utils/setDataGuard';
import type { ChartSeries } from '../../utils/widgetData';
import { crumbsOf, diffPaths, rawCategories, resultView } from '../../utils/widgetView';

/** The breadcrumb line's height in px (24rpx text and its margin). */
const CRUMBS_HEIGHT = 24;

const errorText = (err: unknown) => (isApiError(err) ? err.message : t('unreachable'));

/** Chart height filling the landscape screen below the title (and the breadcrumbs, `below` px). */
function chartHeight(windowHeight?: number, below = 0): number {
  let h = windowHeight ?? 0;
  if (!h) {
    try {
      h = wx.getSystemInfoSync().windowHeight ?? 0;
    } catch {
      h = 0;
    }
  }
  return Math.max(200, h - 64 - below);
}

/**
 * One chart full screen, in landscape (`pageOrientation` in index.json): `id` (report), `widget`,
 * `filters` as on the report page, and the card's drill-down level and the report's linkage
 * (`drill`, `sel` as in share links); the same data and live refresh as the card. A tap drills one
 * level down in place while the hierarchy goes on (breadcrumbs go back up), and at the bottom offers
 * the rows, like the card. The title names the drill level (销售额 · 华东 › 上海).
 */
Page({
  data: {
    t: texts(),
    title: '',
    kind: 'bar',
    loading: true,
    error: '',
    empty: false,
    series: { categories: [], series: [] } as ChartSeries,
    stacked: false,
    donut: false,
    chartOpts: {},
    height: 300,
    selection: null as { index: number; category: string; series: string; value: number } | null,
    /** Drill-down breadcrumbs (全部 › 华东) when the widget has a hierarchy; empty otherwise. */
    crumbs: [] as string[],
  },
  reportId: '',
  widget: null as Widget | null,
  filterState: {} as FilterState,
  categories: [] as (string | number | boolean | null)[],
  /** This widget's drill-down path and the report's linkage, sent with every data call. */
  drill: [] as DrillPath,
  linkSelection: [] as SelectionItem[],
  live: null as LiveHandle | null,
  seq: 0,

  async onLoad(query: Record<string, string | undefined>) {
    this.reportId = queryValue(query.id);
    const widgetId = queryValue(query.widget);
    this.setData({ height: chartHeight() });
    try {
      const report = await getReport(this.reportId);
      const w = report.definition.widgets.find((x) => x.id === widgetId);
      if (!w) throw new ApiError('not_found', t('noData'));
      this.widget = w;
      this.filterState = initialState(report.definition.filters, decodeFilters(query.filters));
      // Checked against the report as it is now, like a shared link: gone widgets and levels drop out.
      const view = restoreView(report.definition.widgets, decodeViewLink(query.drill, query.sel));
      this.drill = view.drill[w.id] ?? [];
      this.linkSelection = view.selection;
      this.setData({ kind: w.kind, stacked: w.options?.stacked ?? false, donut: w.options?.donut ?? false });
      this.showLevel();
    } catch (err) {
      this.setData({ loading: false, error: errorText(err) });
      return;
    }
    await this.load();
    this.live = watchReport(this.reportId, () => void this.load());
  },

  onUnload() {
    this.live?.close();
    this.live = null;
    this.widget = null;
  },

  onResize(e: { size: { windowHeight: number } }) {
    this.setData({ height: chartHeight(e.size.windowHeight, this.data.crumbs.length ? CRUMBS_HEIGHT : 0) });
  },

  /** Loads (or refreshes) the data; only what changed is sent to the view. */
  async load() {
    const w = this.widget;
    if (!w) return;
    const seq = ++this.seq;
    let next: Record<string, unknown>;
    try {
      const r = await widgetData(this.reportId, w.id, this.filterState, undefined, undefined, { selection: this.linkSelection, drill: this.drill });
      next = resultView(w, r);
      this.categories = rawCategories(w, r, hierarchyOf(w)[this.drill.length]);
    } catch (err) {
      next = { loading: false, error: errorText(err) };
    }
    if (seq !== this.seq || !this.widget) return;
    const shown = this.data as unknown as Record<string, unknown>;
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(next)) diffPaths(k, shown[k], v, 3, patch);
    safeSetData(this, patch);
  },

  /** The title and breadcrumbs of the drill level shown. */
  showLevel() {
    const w = this.widget;
    if (!w) return;
    const crumbs = crumbsOf(w, this.drill);
    const title = [w.title, crumbs.slice(1).join(' › ')].filter(Boolean).join(' · ');
    this.setData({ title, crumbs, selection: null, ...(crumbs.length ? { height: chartHeight(undefined, CRUMBS_HEIGHT) } : {}) });
    void wx.setNavigationBarTitle({ title });
  },

  /** A tapped bar/slice/point: one level down while the hierarchy goes on, else offered for its rows. */
  onSelect(e: WechatMiniprogram.CustomEvent<{ index: number; category: string; series: string; value: number }>) {
    const raw = this.categories[e.detail.index];
    if (this.widget && raw !== undefined && this.drill.length < hierarchyOf(this.widget).length - 1) {
      this.drillTo([...this.drill, raw]);
      return;
    }
    this.setData({ selection: e.detail });
  },

  onCrumb(e: WechatMiniprogram.TouchEvent) {
    const level = Number((e.currentTarget.dataset as { level: number }).level);
    if (level < this.drill.length) this.drillTo(this.drill.slice(0, level));
  },

  drillTo(path: DrillPath) {
    this.drill = path;
    this.showLevel();
    void this.load();
  },

  onDrill() {
    const sel = this.data.selection;
    const raw = sel ? this.categories[sel.index] : undefined;
    if (!sel || raw === undefined || !this.widget) return;
    const url = rowsPageUrl({
      id: this.reportId,
      widget: this.widget.id,
      value: raw,
      title: `${this.widget.title} · ${sel.category}`,
      filters: encodeFilters(this.filterState),
      drill: this.drill,
      selection: this.linkSelection,
    });
    void wx.navigateTo({ url });
  },
});
