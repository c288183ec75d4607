import { drawChart, type ChartKind } from '../../utils/charts/index';
import type { Ctx2d } from '../../utils/charts/ctx';
import { categoryAt } from '../../utils/charts/hit';
import type { ChartSeries } from '../../utils/widgetData';

interface CanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): Ctx2d & { scale(x: number, y: number): void };
}

/** Per instance: the drawn size and where the current touch started (canvas touches are canvas-relative). */
const touches = new WeakMap<object, { box: { width: number; height: number } | null; at: { x: number; y: number } | null }>();
function touch(inst: object) {
  let st = touches.get(inst);
  if (!st) touches.set(inst, (st = { box: null, at: null }));
  return st;
}

/** A bar, line or pie chart drawn natively on `<canvas type="2d">`. */
Component({
  properties: {
    kind: { type: String, value: 'bar' },
    series: { type: Object, value: { categories: [], series: [] } },
    stacked: { type: Boolean, value: false },
    donut: { type: Boolean, value: false },
    height: { type: Number, value: 220 },
  },
  observers: {
    'kind, series, stacked, donut': function () {
      this.draw();
    },
  },
  lifetimes: {
    ready() {
      this.draw();
    },
  },
  methods: {
    onTouchStart(e: { touches: { x: number; y: number }[] }) {
      const p = e.touches[0];
      touch(this).at = p ? { x: p.x, y: p.y } : null;
    },
    /** A tap (not a scroll) on a bar/slice/point: `select` with what was tapped. */
    onTouchEnd(e: { changedTouches: { x: number; y: number }[] }) {
      const p = e.changedTouches[0];
      const st = touch(this);
      const start = st.at;
      st.at = null;
      if (!p || !start || !st.box || Math.hypot(p.x - start.x, p.y - start.y) > 10) return;
      const data = this.data as unknown as { kind: ChartKind; series: ChartSeries };
      const index = categoryAt(data.kind, st.box, data.series, p.x, p.y);
      if (index < 0) return;
      const first = data.series.series[0];
      this.triggerEvent('select', { index, category: data.series.categories[index] ?? '', series: first?.name ?? '', value: first?.values[index] ?? 0 });
    },
    draw() {
      const query = this.createSelectorQuery();
      query
        .select('#c')
        .fields({ node: true, size: true })
        .exec((res: ({ node?: CanvasNode; width: number; height: number } | null)[]) => {
          const hit = res[0];
          if (!hit || !hit.node) return;
          const canvas = hit.node;
          const dpr = wx.getSystemInfoSync().pixelRatio || 1;
          touch(this).box = { width: hit.width, height: hit.height };
          canvas.width = hit.width * dpr;
          canvas.height = hit.height * dpr;
          const ctx = canvas.getContext('2d');
          ctx.scale(dpr, dpr);
          const data = this.data as unknown as { kind: ChartKind; series: ChartSeries; stacked: boolean; donut: boolean };
          drawChart(ctx, { width: hit.width, height: hit.height }, data.kind, data.series, { stacked: data.stacked, donut: data.donut });
        });
    },
  },
});
