import { isApiError } from '../../services/request';
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

/** The reports this user may see, recently viewed first, with search and pull-to-refresh. */
Page({
  data: { t: texts(), q: '', reports: [] as HomeItem[], loading: true, error: '' },

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
      const list = await listReports(this.data.q.trim());
      const items = list.items.map((r) => ({ id: r.id, name: r.name, description: r.description }));
      this.setData({ reports: recentFirst(items, storage.recent()) });
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
    void this.load();
  },

  onOpen(e: WechatMiniprogram.TouchEvent) {
    const id = (e.currentTarget.dataset as { id: string }).id;
    void wx.navigateTo({ url: `/pages/report/index?id=${encodeURIComponent(id)}` });
  },

  onMe() {
    void wx.navigateTo({ url: '/pages/me/index' });
  },
});
