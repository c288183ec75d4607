import { texts } from '../../utils/i18n';

/**
 * A scrollable table; tapping a header asks the page to sort by that column (asc → desc).
 * When the server has more rows than shown, "load more" (or scrolling to the bottom) asks the
 * page for the next page (`more`).
 */
Component({
  properties: {
    columns: { type: Array, value: [] },
    rows: { type: Array, value: [] },
    total: { type: Number, value: 0 },
    sortKey: { type: String, value: '' },
    sortDir: { type: String, value: 'asc' },
    loadingMore: { type: Boolean, value: false },
  },
  data: { t: texts() },
  methods: {
    onSort(e: WechatMiniprogram.TouchEvent) {
      const key = (e.currentTarget.dataset as { key: string }).key;
      const dir = this.data.sortKey === key && this.data.sortDir === 'asc' ? 'desc' : 'asc';
      this.triggerEvent('sort', { key, dir });
    },
    onMore() {
      const d = this.data as unknown as { rows: unknown[]; total: number; loadingMore: boolean };
      if (d.loadingMore || d.rows.length >= d.total) return;
      this.triggerEvent('more', {});
    },
  },
});
