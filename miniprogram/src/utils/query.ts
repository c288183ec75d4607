/** A page query value: WeChat hands them over still URI-encoded, a test harness already decoded. */
export function queryValue(v: string | undefined): string {
  if (!v) return '';
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

type Cell = string | number | boolean | null;

/**
 * The rows page behind one tapped category (`pages/drill`), carrying what the chart showed: the
 * report filters (already encoded), the widget's drill-down path and the linkage, so the rows
 * match the bar.
 */
export function rowsPageUrl(a: { id: string; widget: string; value: Cell; title: string; filters: string; drill: Cell[]; selection: unknown[] }): string {
  const q = (v: string) => encodeURIComponent(v);
  return (
    `/pages/drill/index?id=${q(a.id)}&widget=${q(a.widget)}&value=${q(JSON.stringify(a.value))}&title=${q(a.title)}` +
    (a.filters ? `&filters=${a.filters}` : '') +
    (a.drill.length ? `&drill=${q(JSON.stringify(a.drill))}` : '') +
    (a.selection.length ? `&selection=${q(JSON.stringify(a.selection))}` : '')
  );
}
