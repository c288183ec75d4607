import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { ValidationError, msg } from '../../errors.js';
import { MORE, type FailReason, type SheetRow, type WorkerInput, type WorkerMessage, type XlsxInput, type XlsxLimits } from './xlsxProtocol.js';

export type { SheetCell, SheetRow } from './xlsxProtocol.js';

export const XLSX_LIMITS: XlsxLimits = {
  maxUncompressedBytes: 1024 * 1024 * 1024,
  // Excel's own limit is 1,048,576 rows including the header.
  maxDataRows: 1_048_575,
  maxColumns: 1000,
  maxCells: 20_000_000,
};

/** Heap of one worker; a file that needs more is refused instead of taking the server down. */
export const XLSX_WORKER_HEAP_MB = 512;
/** Workers at once; more uploads wait their turn, so parallel uploads cannot add up to all memory. */
const PARALLEL = 2;

/**
 * From source, the .mjs beside this file registers tsx and loads xlsxWorker.ts. The server bundle
 * (server/scripts/bundle.ts) builds the worker as its own entry, xlsxWorker.mjs beside the bundle,
 * and defines SHULAN_BUNDLE_URL, the bundle's own address.
 */
declare const SHULAN_BUNDLE_URL: string | undefined;
const WORKER_URL = new URL('./xlsxWorker.mjs', typeof SHULAN_BUNDLE_URL === 'string' ? SHULAN_BUNDLE_URL : import.meta.url);

let running = 0;
const waiting: (() => void)[] = [];

async function takeSlot(): Promise<() => void> {
  if (running < PARALLEL) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  // A freed slot passes straight to the next waiter, so `running` only drops when nobody waits.
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

const count = (n: number) => n.toLocaleString('en-US');

function refusal(reason: FailReason, l: XlsxLimits): ValidationError {
  switch (reason) {
    case 'unreadable':
      return new ValidationError(msg('无法读取 Excel 文件，请确认是 .xlsx 格式', 'Cannot read the Excel file; is it .xlsx?'));
    case 'sheet_not_found':
      return new ValidationError(msg('Excel 文件中没有这个工作表', 'The Excel file has no worksheet of that name'));
    case 'no_sheet':
      return new ValidationError(msg('Excel 文件中没有工作表', 'The Excel file has no worksheet'));
    case 'uncompressed': {
      const mb = count(l.maxUncompressedBytes / 1024 / 1024);
      return new ValidationError(
        msg(`Excel 文件解压后超过 ${mb} MB，请另存为 CSV 后上传`, `The Excel file unpacks to more than ${mb} MB; save it as CSV and upload that`),
      );
    }
    case 'rows':
      return new ValidationError(msg(`工作表超过 ${count(l.maxDataRows)} 行数据`, `The sheet has more than ${count(l.maxDataRows)} data rows`));
    case 'columns':
      return new ValidationError(msg(`工作表超过 ${count(l.maxColumns)} 列`, `The sheet has more than ${count(l.maxColumns)} columns`));
    case 'cells':
      return new ValidationError(
        msg(`工作表超过 ${count(l.maxCells)} 个非空单元格，请另存为 CSV 后上传`, `The sheet has more than ${count(l.maxCells)} non-empty cells; save it as CSV and upload that`),
      );
  }
}

const outOfMemory = () =>
  new ValidationError(
    msg('Excel 文件太复杂，读取所需内存超过上限，请另存为 CSV 后上传', 'The Excel file needs too much memory to read; save it as CSV and upload that'),
  );

type Inbox = WorkerMessage | { type: 'crash'; error: Error } | { type: 'exit' };

/**
 * The non-empty rows of the first worksheet, in batches, read by a worker thread: the server keeps
 * answering other requests while a large workbook is parsed, and a file that breaks a limit or
 * exhausts the worker's heap is refused with a 400. Each call reads the file anew.
 */
export async function* readXlsxRows(
  input: XlsxInput,
  limits: Partial<XlsxLimits> = {},
  heapMb = XLSX_WORKER_HEAP_MB,
  opts: { sheet?: string; onSheets?: (names: string[]) => void } = {},
): AsyncGenerator<SheetRow[]> {
  const all: XlsxLimits = { ...XLSX_LIMITS, ...limits };
  const release = await takeSlot();
  const inbox: Inbox[] = [];
  let wake: (() => void) | null = null;
  const deliver = (m: Inbox) => {
    inbox.push(m);
    wake?.();
    wake = null;
  };
  let worker: Worker | null = null;
  try {
    worker = new Worker(WORKER_URL, {
      workerData: { input, limits: all, ...(opts.sheet === undefined ? {} : { sheet: opts.sheet }) } satisfies WorkerInput,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 32 },
    });
    worker.on('message', (m: WorkerMessage) => deliver(m));
    worker.on('error', (error) => deliver({ type: 'crash', error }));
    worker.on('exit', () => deliver({ type: 'exit' }));
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = inbox.shift()!;
      switch (m.type) {
        case 'sheets':
          opts.onSheets?.(m.names);
          break;
        case 'rows':
          worker.postMessage(MORE);
          yield m.rows;
          // Batches that arrived together are still handled one per turn of the event loop.
          await nextTurn();
          break;
        case 'end':
          return;
        case 'fail':
          throw refusal(m.reason, all);
        case 'crash':
          if ((m.error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') throw outOfMemory();
          throw m.error;
        case 'exit':
          throw new Error('the spreadsheet worker stopped without an answer');
      }
    }
  } finally {
    await worker?.terminate();
    release();
  }
}
