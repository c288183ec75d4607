import fs from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse';
import { ValidationError, msg } from '../../errors.js';
import { readXlsxRows } from '../../lib/spreadsheet/readXlsx.js';
import { detectTextEncoding, notTextFile } from '../../lib/textEncoding.js';
import type { Cell } from './cellTypes.js';

export type UploadKind = 'csv' | 'xlsx';

/** One record of the file: the header is the first; `line` is its row number as a spreadsheet shows it. */
export interface RawRecord {
  cells: Cell[];
  line: number;
}

/** An uploaded file that can be read, in batches of records, as many times as needed. */
export interface UploadSource {
  records(): AsyncIterable<RawRecord[]>;
  /** An Excel workbook's worksheet names in tab order, known once records() has started; null for CSV. */
  sheets(): string[] | null;
  /** CSV: bytes of the file the current pass has read, and its size (the percent of a preview). */
  bytes?: () => { read: number; total: number };
}

export function uploadKindOf(fileName: string): UploadKind | null {
  const lower = fileName.toLowerCase();
  if (/\.(csv|tsv|txt)$/.test(lower)) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return null;
}

/** Columns an uploaded table may have: beyond that it is not a table a report can use. */
export const MAX_COLUMNS = 1000;

/**
 * Both kinds are streamed on every pass, so a 200 MB file never sits in memory at once: CSV on the
 * event loop a chunk at a time, XLSX in a worker thread (readXlsx.ts) with caps on size and cells.
 */
export async function openUpload(file: string, kind: UploadKind, sheet?: string): Promise<UploadSource> {
  if (kind === 'xlsx') {
    let names: string[] | null = null;
    const opts = { ...(sheet === undefined ? {} : { sheet }), onSheets: (n: string[]) => (names = n) };
    return { records: () => readXlsxRows({ file }, { maxColumns: MAX_COLUMNS }, undefined, opts), sheets: () => names };
  }
  const encoding = await detectTextEncoding(() => fs.createReadStream(file));
  if (!encoding) throw notTextFile();
  const delimiter = detectDelimiter(await headText(file, encoding));
  const total = (await fs.promises.stat(file)).size;
  const pos = { read: 0 };
  return {
    records: () => {
      pos.read = 0;
      return csvRecords(file, encoding, delimiter, pos);
    },
    sheets: () => null,
    bytes: () => ({ read: pos.read, total }),
  };
}

async function headText(file: string, encoding: string): Promise<string> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return new TextDecoder(encoding).decode(buf.subarray(0, bytesRead), { stream: true });
  } finally {
    await fh.close();
  }
}

/** The delimiter that splits the first lines into the same, largest number of columns. */
export function detectDelimiter(text: string): string {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20);
  let best = ',';
  let bestScore = -1;
  for (const d of [',', ';', '\t']) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    const score = consistent * 1000 + first;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

/**
 * The text a chunk at a time, with a turn for other requests before each: a chunk already read
 * ahead would otherwise be handed over at once, and a large file parsed without a break.
 */
async function* decodedChunks(file: string, encoding: string, pos: { read: number }): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 64 * 1024 })) {
    pos.read += (chunk as Buffer).length;
    await nextTurn();
    yield decoder.decode(chunk as Buffer, { stream: true });
  }
  yield decoder.decode();
}

/**
 * Records in batches, one batch per chunk of the file: per-record async iteration costs more than
 * the parsing itself. Line numbers are counted here (csv-parse's `info` option doubles its time):
 * a record starts one line after the previous one plus the line breaks inside its quoted cells.
 */
async function* csvRecords(file: string, encoding: string, delimiter: string, pos: { read: number }): AsyncGenerator<RawRecord[]> {
  const parser = parse({ bom: true, delimiter, relax_column_count: true, relax_quotes: true });
  let batch: RawRecord[] = [];
  let line = 1;
  let failure: unknown = null;
  parser.on('data', (cells: string[]) => {
    batch.push({ cells, line });
    line += 1;
    for (const c of cells) for (let k = c.indexOf('\n'); k >= 0; k = c.indexOf('\n', k + 1)) line++;
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (err) => {
      failure = err;
      resolve();
    });
  });
  const fail = () => {
    const why = String((failure as Error).message).slice(0, 200);
    return new ValidationError(msg(`无法解析 CSV 文件：${why}`, `Cannot parse the CSV file: ${why}`));
  };
  try {
    for await (const text of decodedChunks(file, encoding, pos)) {
      parser.write(text);
      if (failure) throw fail();
      if (batch.length > 0) {
        const out = batch;
        batch = [];
        yield out;
      }
    }
    parser.end();
    await ended;
    if (failure) throw fail();
    if (batch.length > 0) yield batch;
  } finally {
    parser.destroy();
  }
}
