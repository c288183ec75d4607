import type { UploadImportProgress, UploadPhase } from '@shulan/shared';

/** Rows read so far by a pass over an upload (the preview's scan or the import's loader). */
export interface RowCounter {
  read: number;
}

/** A pass under way: its phase and what its percent is measured against. */
export interface TrackedPass {
  phase: UploadPhase;
  counter: RowCounter;
  /** Rows the preview counted (import), or 0 while the preview itself reads the file. */
  rowCount: number;
  /** CSV preview: bytes of the file read so far and its size, for a percent before rows are known. */
  bytes?: () => { read: number; total: number };
  /** Import of every sheet: the sheet under way. */
  sheet?: { name: string; index: number; count: number };
}

/**
 * Passes under way in this process, by upload id (or, for the preview of a file still arriving,
 * by the progress id the dialog sent with it), so the dialog can poll how far a large file has got.
 * Another instance behind a load balancer answers `running: false`; the dialog then shows the phase only.
 */
const running = new Map<string, TrackedPass>();

export function trackPass(key: string, pass: TrackedPass): () => void {
  running.set(key, pass);
  return () => {
    if (running.get(key) === pass) running.delete(key);
  };
}

/** Kept for the import route: rows read of the rows the preview counted. */
export function trackImport(uploadId: string, counter: RowCounter, rowCount: number): () => void {
  return trackPass(uploadId, { phase: 'importing', counter, rowCount });
}

const upTo99 = (part: number, whole: number) => (whole > 0 ? Math.min(99, Math.floor((part / whole) * 100)) : 0);

export function importProgress(key: string): UploadImportProgress {
  const r = running.get(key);
  if (!r) return { running: false, rowsRead: 0, rowCount: 0, percent: 0 };
  const base = { running: true, phase: r.phase, rowsRead: r.counter.read, rowCount: r.rowCount };
  let percent: number | null;
  if (r.phase === 'importing') percent = upTo99(r.counter.read, r.rowCount);
  else if (r.bytes) {
    const b = r.bytes();
    percent = upTo99(b.read, b.total);
  } else percent = null;
  if (!r.sheet) return { ...base, percent };
  // Every sheet: the whole run's percent, each sheet one share, its analysis the first half of it.
  const { name, index, count } = r.sheet;
  const within = r.phase === 'importing' ? 50 + (percent ?? 0) / 2 : (percent ?? 0) / 2;
  const overall = Math.min(99, Math.floor(((index - 1) * 100 + within) / count));
  return { ...base, percent: overall, sheet: name, sheetIndex: index, sheetCount: count };
}
