import { drawChart, drawTooltip, hitTest, valueText, type ChartKind, type ChartOptions, type ChartPick, type Hit } from '../../utils/charts/index';
import type { Box, Ctx2d } from '../../utils/charts/ctx';
import { currentLang } from '../../utils/i18n';
import type { ChartSeries } from '../../utils/widgetData';

interface CanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): Ctx2d & { scale(x: number, y: number): void; setTransform?(a: number, b: number, c: number, d: number, e: number, f: number): void };
}
interface QueryHit {
  node?: CanvasNode;
  width: number;
  height: number;
  left?: number;
  top?: number;
}
/** A canvas touch carries x/y inside the canvas; other touches only viewport/page coordinates. */
interface AnyTouch {
  x?: number;
  y?: number;
  clientX?: number;
  clientY?: number;
}

/** Drawing state kept off `data`: it is not rendered by WXML and must not travel through setData. */
interface ChartState {
  ctx: Ctx2d | null;
  box: Box;
  origin: { left: number; top: number };
  hits: Hit[];
  touch: { x: number; y: number } | null;
}

/**
 * A chart (bar, line, pie, area, combo, scatter, funnel, gauge) drawn natively on `<canvas type="2d">`. Tapping a bar, point or slice
 * draws its value in a tooltip and emits `select` with `{ index, category, series, value }`.
 */
Component({
  properties: {
    kind: { type: String, value: 'bar' },
    series: { type: Object, value: { categories: [], series: [] } },
    stacked: { type: Boolean, value: false },
    donut: { type: Boolean, value: false },
    /** The other kinds' options: horizontal, percent, combo lines, gauge scale, label format. */
    opts: { type: Object, value: {} },
    height: { type: Number, value: 220 },
  },
  observers: {
    'kind, series, stacked, donut, opts': function () {
      this.draw();
    },
  },
  lifetimes: {
    created() {
      (this as unknown as { chart: ChartState }).chart = { ctx: null, box: { width: 0, height: 0 }, origin: { left: 0, top: 0 }, hits: [], touch: null };
    },
    ready() {
      this.draw();
    },
  },
  methods: {
    state(): ChartState {
      return (this as unknown as { chart: ChartState }).chart;
    },
    draw() {
      const query = this.createSelectorQuery();
      query
        .select('#c')
        .fields({ node: true, size: true, rect: true })
        .exec((res: (QueryHit | null)[]) => {
          const hit = res[0];
          if (!hit || !hit.node) return;
          const canvas = hit.node;
          const dpr = wx.getSystemInfoSync().pixelRatio || 1;
          canvas.width = hit.width * dpr;
          canvas.height = hit.height * dpr;
          const ctx = canvas.getContext('2d');
          ctx.scale(dpr, dpr);
          const st = this.state();
          st.ctx = ctx;
          st.box = { width: hit.width, height: hit.height };
          st.origin = { left: hit.left ?? 0, top: hit.top ?? 0 };
          this.paint(null);
        });
    },
    /** Redraws the chart, then the tooltip of `picked` when there is one. */
    paint(picked: Hit | null) {
      const st = this.state();
      if (!st.ctx) return;
      const data = this.data as unknown as { kind: ChartKind; series: ChartSeries; stacked: boolean; donut: boolean; opts: ChartOptions | null };
      const opts: ChartOptions = { ...(data.opts ?? {}), stacked: data.stacked, donut: data.donut, lang: currentLang() };
      st.hits = drawChart(st.ctx, st.box, data.kind, data.series, opts);
      if (picked) drawTooltip(st.ctx, st.box, picked, valueText(opts));
    },
    toCanvas(t: AnyTouch | undefined): { x: number; y: number } | null {
      if (!t) return null;
      const st = this.state();
      if (typeof t.x === 'number' && typeof t.y === 'number') return { x: t.x, y: t.y };
      // The canvas rect was measured in viewport coordinates, like clientX/clientY.
      if (typeof t.clientX === 'number' && typeof t.clientY === 'number') return { x: t.clientX - st.origin.left, y: t.clientY - st.origin.top };
      return null;
    },
    onTouchStart(e: WechatMiniprogram.TouchEvent) {
      this.state().touch = this.toCanvas((e.touches as unknown as AnyTouch[])[0]);
    },
    /** A tap (no scroll in between) on the spot where the finger went down. */
    onTap() {
      const st = this.state();
      const at = st.touch;
      st.touch = null;
      if (!at || !st.ctx) return;
      const picked = hitTest(st.hits, at.x, at.y);
      this.paint(picked);
      if (!picked) return;
      const detail: ChartPick = { index: picked.index, category: picked.category, series: picked.series, value: picked.value };
      this.triggerEvent('select', detail);
    },
  },
});
