/** What a tap on the chart selects: the interface the report page drills with (`bind:select`). */
export interface ChartPick {
  index: number;
  category: string;
  series: string;
  value: number;
}

/** Where a bar, point or slice was drawn, so a tap can be matched to it afterwards. */
export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number }
  | { kind: 'point'; x: number; y: number }
  | { kind: 'slice'; cx: number; cy: number; r: number; inner: number; start: number; end: number };

export interface Hit extends ChartPick {
  shape: Shape;
  color: string;
}

/** Finger-sized slack around thin bars and small points, in px. */
const SLACK = 6;
const POINT_RADIUS = 16;

function inShape(s: Shape, x: number, y: number): number | null {
  if (s.kind === 'rect') {
    const inside = x >= s.x - SLACK && x <= s.x + s.w + SLACK && y >= s.y - SLACK && y <= s.y + s.h + SLACK;
    return inside ? 0 : null;
  }
  if (s.kind === 'point') {
    const d = Math.hypot(x - s.x, y - s.y);
    return d <= POINT_RADIUS ? d : null;
  }
  const d = Math.hypot(x - s.cx, y - s.cy);
  if (d > s.r || d < s.inner) return null;
  // Angles are drawn from -π/2 clockwise; bring the tap's angle into the slice's turn.
  let a = Math.atan2(y - s.cy, x - s.cx);
  while (a < s.start) a += Math.PI * 2;
  return a <= s.end ? 0 : null;
}

/** The drawn element under (x, y), nearest first for points; null when the tap hit nothing. */
export function hitTest(hits: Hit[], x: number, y: number): Hit | null {
  let best: Hit | null = null;
  let bestD = Infinity;
  for (const h of hits) {
    const d = inShape(h.shape, x, y);
    if (d !== null && d < bestD) {
      best = h;
      bestD = d;
    }
  }
  return best;
}
