/** A scrollable table; tapping a header asks the page to sort by that column (asc → desc). */
Component({
  properties: {
    columns: { type: Array, value: [] },
    rows: { type: Array, value: [] },
    total: { type: Number, value: 0 },
    sortKey: { type: String, value: '' },
    sortDir: { type: String, value: 'asc' },
  },
  methods: {
    onSort(e: WechatMiniprogram.TouchEvent) {
      const key = (e.currentTarget.dataset as { key: string }).key;
      const dir = this.data.sortKey === key && this.data.sortDir === 'asc' ? 'desc' : 'asc';
      this.triggerEvent('sort', { key, dir });
    },
  },
});
