import { formatValue, type FieldFormat, type FormatLang, type QueryResult } from '@shulan/shared';

/**
 * CSV for Excel: UTF-8 with a BOM (otherwise Excel shows Chinese as mojibake), CRLF lines,
 * RFC 4180 quoting. Text cells that start like a formula get a leading apostrophe so a
 * spreadsheet does not run them.
 */
export function toCsv(
  result: Pick<QueryResult, 'columns' | 'rows'>,
  /** Cells as the report shows them (the widget's formats) instead of raw numbers and dates. */
  formatted?: { formats: Record<string, FieldFormat> | undefined; lang: FormatLang },
): string {
  const lines = [result.columns.map((c) => cell(c.label)).join(',')];
  const show = (v: string | number | boolean | null, key: string): string => {
    if (!formatted || v === null) return cell(v);
    const text = formatValue(v, formatted.formats?.[key], formatted.lang, key);
    // A number we formatted ("-¥1,234.50") is no formula; only text from the data needs defusing.
    return typeof v === 'number' ? quote(text) : cell(text);
  };
  for (const row of result.rows) lines.push(result.columns.map((c) => show(row[c.key] ?? null, c.key)).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function cell(v: string | number | boolean | null): string {
  if (v === null) return '';
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
