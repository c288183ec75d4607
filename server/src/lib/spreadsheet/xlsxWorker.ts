import fs from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { Unzip, UnzipInflate } from 'fflate';
import { MORE, type FailReason, type SheetCell, type SheetRow, type WorkerInput, type WorkerMessage, type XlsxInput, type XlsxLimits } from './xlsxProtocol.js';

/**
 * Runs in a worker thread (started by readXlsx.ts): reads the first sheet of an XLSX file row by
 * row and posts the rows in batches. Nothing here runs on the server's event loop, and the worker's
 * heap is capped, so a hostile file costs at most one worker.
 */

class Refusal extends Error {
  constructor(readonly reason: FailReason) {
    super(reason);
  }
}

/** Compressed bytes pushed at a time: deflate inflates ~1000×, so one push yields at most ~64 MB. */
const ZIP_CHUNK = 64 * 1024;
/** Cells per posted batch: small enough that the parent handles one batch in a few milliseconds. */
const BATCH_CELLS = 10_000;
/** Batches posted but not yet taken by the parent. */
const AHEAD = 2;

async function* zipChunks(input: XlsxInput): AsyncGenerator<Uint8Array> {
  if ('bytes' in input) {
    for (let i = 0; i < input.bytes.length; i += ZIP_CHUNK) yield input.bytes.subarray(i, i + ZIP_CHUNK);
    return;
  }
  for await (const chunk of fs.createReadStream(input.file, { highWaterMark: ZIP_CHUNK })) yield chunk as Buffer;
}

/**
 * Inflates every part once and throws it away, counting the declared and the actual sizes, so a
 * zip bomb is refused before exceljs unpacks anything (it may write whole sheets to temp files).
 */
async function checkUncompressedSize(input: XlsxInput, max: number): Promise<Map<string, string>> {
  let declared = 0;
  let actual = 0;
  let parts = 0;
  // The workbook part and its relations name the sheets: kept as text on the way (they are small).
  const wanted = new Set(['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']);
  const kept = new Map<string, Uint8Array[]>();
  const unzip = new Unzip((part) => {
    parts++;
    declared += part.originalSize ?? 0;
    if (declared > max) throw new Refusal('uncompressed');
    const keep = wanted.has(part.name) ? (kept.set(part.name, []), kept.get(part.name)!) : null;
    part.ondata = (err, data) => {
      if (err) throw err;
      actual += data.length;
      if (actual > max) throw new Refusal('uncompressed');
      keep?.push(data);
    };
    part.start();
  });
  unzip.register(UnzipInflate);
  for await (const chunk of zipChunks(input)) unzip.push(chunk);
  unzip.push(new Uint8Array(0), true);
  if (parts === 0) throw new Refusal('unreadable');
  return new Map([...kept].map(([name, chunks]) => [name, Buffer.concat(chunks).toString('utf8')]));
}

const xmlText = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:]+)="([^"]*)"/g)) out[m[1]!] = xmlText(m[2]!);
  return out;
}

/**
 * The worksheets in tab order with the number exceljs gives each (`xl/worksheets/sheetN.xml`),
 * from the workbook part and its relations; empty when they cannot be read.
 */
export function sheetsOf(parts: Map<string, string>): { name: string; no: string }[] {
  const wb = parts.get('xl/workbook.xml');
  const rels = parts.get('xl/_rels/workbook.xml.rels');
  if (!wb || !rels) return [];
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const a = attributes(m[0]);
    if (a.Id && a.Target) targets.set(a.Id, a.Target);
  }
  const out: { name: string; no: string }[] = [];
  for (const m of wb.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const a = attributes(m[0]);
    const rid = Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
    const no = rid ? /sheet(\d+)\.xml$/.exec(targets.get(rid) ?? '')?.[1] : undefined;
    if (a.name && no) out.push({ name: a.name, no });
  }
  return out;
}

/** Formulas give their cached result, rich text its plain text, errors nothing. */
function sheetCell(v: ExcelJS.CellValue): SheetCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((p) => p.text).join('');
    if ('result' in v) return sheetCell((v.result ?? null) as ExcelJS.CellValue);
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return null;
  }
  return String(v);
}

/** Non-empty rows of one worksheet (`sheetNo`, or the first one read), with the limits checked as they are read. */
async function* sheetRows(input: XlsxInput, limits: XlsxLimits, sheetNo: string | null): AsyncGenerator<SheetRow> {
  const source = 'file' in input ? input.file : Readable.from([Buffer.from(input.bytes)]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell dates from numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let dataRows = -1;
  let cells = 0;
  for await (const sheet of reader) {
    if (sheetNo !== null && String((sheet as unknown as { id: string | number }).id) !== sheetNo) {
      // Another sheet: read past it (the stream holds the sheets one after another).
      for await (const _row of sheet) void _row;
      continue;
    }
    for await (const row of sheet) {
      const values = row.values as ExcelJS.CellValue[];
      const found: [number, SheetCell][] = [];
      values.forEach((v, col) => {
        const cell = sheetCell(v);
        if (cell === null || (typeof cell === 'string' && cell === '')) return;
        if (col > limits.maxColumns) throw new Refusal('columns');
        found.push([col, cell]);
      });
      if (found.length === 0) continue;
      if (++dataRows > limits.maxDataRows) throw new Refusal('rows');
      cells += found.length;
      if (cells > limits.maxCells) throw new Refusal('cells');
      const out: SheetCell[] = new Array<SheetCell>(found[found.length - 1]![0]).fill(null);
      for (const [col, cell] of found) out[col - 1] = cell;
      yield { cells: out, line: row.number };
    }
    return;
  }
  throw new Refusal('no_sheet');
}

/** Reads of one sheet before a workbook-order race (isWorkbookOrderRace) counts as a failure. */
const MAX_READS = 5;
const isWorkbookOrderRace = (err: unknown) => err instanceof TypeError && /reading 'sheets'/.test(err.message);

async function run(port: NonNullable<typeof parentPort>, { input, limits, sheet }: WorkerInput): Promise<void> {
  let credit = AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', (m) => {
    if (m !== MORE) return;
    credit++;
    wake?.();
    wake = null;
  });
  const post = (m: WorkerMessage) => port.postMessage(m);
  const send = async (rows: SheetRow[]) => {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    post({ type: 'rows', rows });
  };
  try {
    const sheets = sheetsOf(await checkUncompressedSize(input, limits.maxUncompressedBytes));
    post({ type: 'sheets', names: sheets.map((s) => s.name) });
    const chosen = sheet === undefined ? sheets[0] : sheets.find((s) => s.name === sheet);
    if (sheet !== undefined && !chosen) throw new Refusal('sheet_not_found');
    for (let attempt = 1; ; attempt++) {
      let sent = 0;
      try {
        let batch: SheetRow[] = [];
        let batchCells = 0;
        for await (const row of sheetRows(input, limits, chosen?.no ?? null)) {
          batch.push(row);
          batchCells += row.cells.length;
          if (batchCells >= BATCH_CELLS) {
            await send(batch);
            sent++;
            batch = [];
            batchCells = 0;
          }
        }
        if (batch.length > 0) await send(batch);
        break;
      } catch (err) {
        // exceljs#3064: its streaming reader may reach a worksheet before xl/workbook.xml (which
        // exceljs and some other writers store last) and fails reading `model.sheets`. A race in
        // its unzip stream, not a bad file: a fresh read almost always succeeds (seen on Node 24).
        if (sent === 0 && attempt < MAX_READS && isWorkbookOrderRace(err)) continue;
        throw err;
      }
    }
    post({ type: 'end' });
  } catch (err) {
    // Anything exceljs or fflate throws means the file is not a workbook we can read.
    post({ type: 'fail', reason: err instanceof Refusal ? err.reason : 'unreadable' });
  }
}

// Parsing is background work: on a busy machine the event loop's requests should get the CPU first.
// On Linux the nice value of pid 0 is this thread's alone (elsewhere it would be the whole server's).
if (process.platform === 'linux') os.setPriority(10);

if (parentPort) await run(parentPort, workerData as WorkerInput);
