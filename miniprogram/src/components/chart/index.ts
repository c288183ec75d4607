import { drawChart, type ChartKind } from '../../utils/charts/index';
import type { Ctx2d } from '../../utils/charts/ctx';
import type { ChartSeries } from '../../utils/widgetData';

interface CanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): Ctx2d & { scale(x: number, y: number): void };
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
