import { PivotSheet, type S2DataConfig, type S2Options } from '@antv/s2';
import type { FormatLang, QueryResult, WidgetOptions } from '@shulan/shared';
import { useEffect, useRef, useState } from 'react';
import { pivotConfig, total, totalRule } from './pivotConfig';

/**
 * A pivot table (AntV S2) drawn on its own canvas; a lazily loaded chunk, so reports without a
 * pivot never download S2.
 */
export default function PivotView({
  result,
  dimensionCount,
  options,
  lang,
  labels,
}: {
  result: QueryResult;
  dimensionCount?: number;
  options?: WidgetOptions;
  lang: FormatLang;
  labels: { subTotal: string; grandTotal: string };
}) {
  const el = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const box = el.current;
    if (!box) return;
    const cfg = pivotConfig(result, dimensionCount, options, lang);
    // S2 types cells as its own DataItem; ours are plain strings, numbers and nulls.
    const dataCfg: S2DataConfig = { fields: cfg.fields, meta: cfg.meta, data: cfg.data as S2DataConfig["data"] };
    const calc = {
      calcFunc: (_q: unknown, cells: { getValueByField(f: string): unknown; extraField: string }[]) => {
        const key = cells[0]?.extraField ?? '';
        const nums = cells.map((c) => Number(c.getValueByField(key))).filter((n) => Number.isFinite(n));
        return total(totalRule(key), nums);
      },
    };
    const totalOf = (sub: string[]) => ({
      showGrandTotals: true,
      showSubTotals: sub.length > 0,
      subTotalsDimensions: sub,
      calcGrandTotals: calc,
      calcSubTotals: calc,
      grandTotalsLabel: labels.grandTotal,
      subTotalsLabel: labels.subTotal,
    });
    const s2Options: S2Options = {
      width: box.clientWidth || 400,
      height: box.clientHeight || 240,
      hierarchyType: 'grid',
      showDefaultHeaderActionIcon: false,
      ...(cfg.totals ? { totals: { row: totalOf(cfg.totals.rowSub), col: cfg.fields.columns.length ? totalOf(cfg.totals.colSub) : {} } } : {}),
    };
    const s2 = new PivotSheet(box, dataCfg, s2Options);
    let alive = true;
    s2.render().catch((e: unknown) => alive && setError(String(e)));
    const observer = new ResizeObserver(() => {
      if (!box.clientWidth || !box.clientHeight) return;
      s2.changeSheetSize(box.clientWidth, box.clientHeight);
      void s2.render(false);
    });
    observer.observe(box);
    return () => {
      alive = false;
      observer.disconnect();
      s2.destroy();
    };
  }, [result, dimensionCount, options, lang, labels.grandTotal, labels.subTotal]);

  if (error) return <div role="alert">{error}</div>;
  return <div ref={el} data-testid="pivot" style={{ width: '100%', height: '100%', minHeight: 160, overflow: 'hidden' }} />;
}
