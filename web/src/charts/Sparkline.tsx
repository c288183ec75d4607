import { formatDateValue, type FormatLang, type KpiSparkline } from '@shulan/shared';

/**
 * The KPI's trend under its figure: a plain SVG polyline (no chart library for a few dozen
 * points), with the first and last bucket named so the reader knows the span.
 */
export function Sparkline({ data, format, lang }: { data: KpiSparkline; format: (v: number) => string; lang: FormatLang }) {
  const points = data.points;
  const values = points.map((p) => p.value ?? 0);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const w = 200;
  const h = 36;
  const x = (i: number) => (i / Math.max(1, points.length - 1)) * w;
  const y = (v: number) => (hi === lo ? h / 2 : h - 2 - ((v - lo) / (hi - lo)) * (h - 4));
  const path = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const first = formatDateValue(points[0]!.date, data.grain, lang);
  const last = points[points.length - 1]!;
  const lastLabel = formatDateValue(last.date, data.grain, lang);
  return (
    <div data-testid="kpi-sparkline" data-points={points.length} style={{ marginTop: 6 }}>
      <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" style={{ width: '100%', height: h, display: 'block' }} role="img" aria-label={`${first} – ${lastLabel}`}>
        <polyline points={`0,${h} ${path} ${w},${h}`} fill="rgba(0,82,217,0.08)" stroke="none" />
        <polyline points={path} fill="none" stroke="#0052d9" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
      </svg>
      <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 11, color: 'rgba(0,0,0,0.45)' }}>
        <span>{first}</span>
        <span>
          {lastLabel} {last.value === null ? '—' : format(last.value)}
        </span>
      </div>
    </div>
  );
}
