import { formatDecimal, formatValue, isExactNumeric, type FieldFormat, type FormatLang, type QueryResult } from '@shulan/shared';

/**
 * CSV for Excel: UTF-8 with a BOM (otherwise Excel shows Chinese as mojibake), CRLF lines,
 * RFC 4180 quoting. Text cells that start like a formula get a leading apostrophe so a
 * spreadsheet does not run them. Numbers are written with every digit the API has (exact decimals
 * sent as text included, never as a formula) and at least their column's scale: 523.10, not 523.1.
 */
export function toCsv(
  result: Pick<QueryResult, 'columns' | 'rows'>,
  /** Cells as the report shows them (the widget's formats) instead of raw numbers and dates. */
  formatted?: { formats: Record<string, FieldFormat> | undefined; lang: FormatLang },
): string {
  const lines = [result.columns.map((c) => cell(c.label)).join(',')];
  const show = (v: string | number | boolean | null, c: QueryResult['columns'][number]): string => {
    if (!formatted || v === null) return cell(v, c);
    const text = formatValue(v, formatted.formats?.[c.key], formatted.lang, c.key);
    // A number we formatted ("-¥1,234.50") is no formula; only text from the data needs defusing.
    return typeof v === 'number' ? quote(text) : cell(text);
  };
  for (const row of result.rows) lines.push(result.columns.map((c) => show(row[c.key] ?? null, c)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const isNumericColumn = (type: string) => type === 'integer' || type === 'number';

function cell(v: string | number | boolean | null, col?: QueryResult['columns'][number]): string {
  if (v === null) return '';
  if (col && isNumericColumn(col.type) && isExactNumeric(v)) {
    // maxDecimals beyond any scale: nothing is rounded, zeros are only added.
    return formatDecimal(v, { maxDecimals: 100, minDecimals: col.scale ?? 0 });
  }
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return quote(s);
}

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Content-Disposition with an ASCII fallback and the real (Chinese) name per RFC 5987/6266. */
export function attachmentHeader(fileName: string): string {
  const clean = fileName.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_');
  const ascii = clean.replace(/[^\u0020-\u007e]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
