import { isApiError } from '../../services/request';
import { listFavorites } from '../../services/favorites';
import { listReports } from '../../services/reports';
import { texts } from '../../utils/i18n';
import { recentFirst } from '../../utils/recent';
import { storage } from '../../utils/storage';

interface HomeItem {
  id: string;
  name: string;
  description: string | null;
  recent: boolean;
}

type Tab = 'favorites' | 'all';

/**
 * Two tabs, favorites first: the reports the user starred (shared with the web), and all reports
 * the user may see, recently viewed first, with search. Pull to refresh.
 */
Page({
  data: { t: texts(), q: '', tab: '' as Tab | '', reports: [] as HomeItem[], favorites: [] as HomeItem[], loading: true, error: '' },

  onLoad() {
    void this.load();
  },

  onShow() {
    // Coming back from a report: its place in "recently viewed" changed.
    if (!this.data.loading) void this.load();
  },

  async onPullDownRefresh() {
    await this.load();
    wx.stopPullDownRefresh();
  },

  async load() {
    this.setData({ loading: true, error: '' });
    try {
      const [list, favorites] = await Promise.all([
        listReports(this.data.q.trim()),
        // A failing favorites list must not hide the reports.
        listFavorites().catch(() => ({ items: [], total: 0 })),
      ]);
      const items = list.items.map((r) => ({ id: r.id, name: r.name, description: r.description }));
      const starred = favorites.items.map((r) => ({ id: r.id, name: r.name, description: r.description, recent: false }));
      // First visit: open on favorites when there are some; afterwards the user's choice stays.
      const tab: Tab = this.data.tab || (starred.length > 0 ? 'favorites' : 'all');
      this.setData({ reports: recentFirst(items, storage.recent()), favorites: starred, tab });
    } catch (err) {
      this.setData({ error: isApiError(err) ? err.message : String(err) });
    } finally {
      this.setData({ loading: false });
    }
  },

  onSearchInput(e: WechatMiniprogram.Input) {
    this.setData({ q: e.detail.value });
  },

  onSearch() {
    // Search runs over all reports.
    this.setData({ tab: 'all' });
    void this.load();
  },

  onTab(e: WechatMiniprogram.TouchEvent) {
    this.setData({ tab: (e.currentTarget.dataset as { tab: Tab }).tab });
  },

  onOpen(e: WechatMiniprogram.TouchEvent) {
    const id = (e.currentTarget.dataset as { id: string }).id;
    void wx.navigateTo({ url: `/pages/report/index?id=${encodeURIComponent(id)}` });
  },

  onMe() {
    void wx.navigateTo({ url: '/pages/me/index' });
  },
});
