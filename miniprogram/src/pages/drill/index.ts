import { isApiError } from '../../services/request';
import { drillRows, type Interaction } from '../../services/reports';
import { decodeFilters, type FilterState } from '../../utils/filters';
import { t, texts } from '../../utils/i18n';
import { queryValue } from '../../utils/query';
import { safeSetData } from '../../utils/setDataGuard';
import { tableOf } from '../../utils/widgetView';

const PAGE_SIZE = 50;

/** A JSON array from the page query (URI-encoded), or nothing; the server validates what it holds. */
function jsonArray(v: string | undefined): unknown[] | undefined {
  if (!v) return undefined;
  try {
    const parsed: unknown = JSON.parse(queryValue(v));
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
const errorText = (err: unknown) => (isApiError(err) ? err.message : t('unreachable'));

/**
 * The table rows behind one tapped bar/slice/point: `id` (report), `widget`, `value` (the raw
 * category as JSON), `filters` (the report's), `title`. Paged through the server.
 */
Page({
  data: {
    t: texts(),
    title: '',
    loading: true,
    error: '',
    columns: [] as ReturnType<typeof tableOf>['columns'],
    rows: [] as string[][],
    total: 0,
    more: false,
  },
  args: null as { reportId: string; widgetId: string; value: string | number | boolean | null; filters: FilterState; interaction: Interaction } | null,
  pages: 0,

  async onLoad(query: Record<string, string | undefined>) {
    let value: string | number | boolean | null = null;
    try {
      value = JSON.parse(queryValue(query.value)) as string | number | boolean | null;
    } catch {
      value = queryValue(query.value);
    }
    this.args = {
      reportId: queryValue(query.id),
      widgetId: queryValue(query.widget),
      value,
      filters: decodeFilters(query.filters) ?? {},
      // The report page's drill-down path and linkage, so the rows match the bar tapped.
      interaction: { drill: jsonArray(query.drill) as Interaction['drill'], selection: jsonArray(query.selection) as Interaction['selection'] },
    };
    const title = queryValue(query.title);
    this.setData({ title });
    if (title) void wx.setNavigationBarTitle({ title });
    await this.loadPage();
  },

  async loadPage() {
    const a = this.args;
    if (!a) return;
    this.setData({ more: this.pages > 0 });
    try {
      const r = await drillRows(a.reportId, a.widgetId, a.value, a.filters, { page: this.pages + 1, pageSize: PAGE_SIZE }, a.interaction);
      const table = tableOf(r);
      const patch: Record<string, unknown> = { loading: false, more: false, error: '', total: r.total };
      if (this.pages === 0) Object.assign(patch, { columns: table.columns, rows: table.rows });
      else table.rows.forEach((row, i) => (patch[`rows[${this.pages * PAGE_SIZE + i}]`] = row));
      this.pages++;
      safeSetData(this, patch);
    } catch (err) {
      if (this.pages === 0) this.setData({ loading: false, more: false, error: errorText(err) });
      else {
        this.setData({ more: false });
        void wx.showToast({ title: errorText(err), icon: 'none' });
      }
    }
  },

  async onMore() {
    if (this.data.more || this.data.loading || this.data.rows.length >= this.data.total) return;
    await this.loadPage();
  },

  async onReachBottom() {
    await this.onMore();
  },
});
