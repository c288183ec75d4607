import type { ChartSeries } from '../widgetData';
import type { Box } from './ctx';

/**
 * Which category a touch at (x, y) on the canvas means, or -1: the column of a bar/line chart
 * (same geometry as drawAxes), the slice or legend row of a pie (same geometry as drawPie).
 */
export function categoryAt(kind: string, box: Box, data: ChartSeries, x: number, y: number): number {
  const n = data.categories.length;
  if (n === 0) return -1;
  if (kind !== 'pie') {
    const left = 44;
    const width = box.width - 52;
    if (x < left || x > left + width || width <= 0) return -1;
    return Math.min(n - 1, Math.floor(((x - left) / width) * n));
  }
  const values = (data.series[0]?.values ?? []).map((v) => Math.max(0, v));
  const total = values.reduce((a, b) => a + b, 0);
  const r = Math.min(box.height / 2 - 8, box.width / 4);
  const cx = r + 12;
  const cy = box.height / 2;
  if (x > cx + r + 12) {
    const row = Math.round((y - 12) / 18);
    return row >= 0 && row < n ? row : -1;
  }
  if (total <= 0 || Math.hypot(x - cx, y - cy) > r) return -1;
  // Clockwise from 12 o'clock, as the slices are drawn.
  let a = Math.atan2(y - cy, x - cx) + Math.PI / 2;
  if (a < 0) a += Math.PI * 2;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += ((values[i] ?? 0) / total) * Math.PI * 2;
    if (a <= acc) return i;
  }
  return n - 1;
}
