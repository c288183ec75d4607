import type { UploadImportProgress, UploadPhase } from '@shulan/shared';
import type { ClusterBus } from '../../cluster/ClusterBus.js';

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
 */
const running = new Map<string, TrackedPass>();

export function trackPass(key: string, pass: TrackedPass): () => void {
  running.set(key, pass);
  sharing?.publish(key);
  return () => {
    if (running.get(key) !== pass) return;
    running.delete(key);
    sharing?.publish(key);
  };
}

/** How often a running pass tells the other instances how far it has got. */
const SHARE_EVERY_MS = 500;
/** A snapshot older than this is from an instance that stopped (or lost Redis) mid-pass: not shown. */
const REMOTE_STALE_MS = 5_000;
const remote = new Map<string, { progress: UploadImportProgress; at: number }>();
let sharing: { publish: (key: string) => void } | null = null;

/**
 * Several instances behind a load balancer: the dialog's polls land on any of them, so each pass's
 * progress goes to every instance over the cluster bus (at its start, every half second, at its
 * end) and an instance without the pass answers from the last snapshot it got.
 */
export function shareUploadProgress(bus: ClusterBus): () => void {
  const off = bus.on<{ key: string; progress: UploadImportProgress }>('upload_progress', ({ key, progress }) => {
    if (running.has(key)) return; // our own pass: read live
    if (progress.running) remote.set(key, { progress, at: Date.now() });
    else remote.delete(key);
  });
  const publish = (key: string) => bus.publish('upload_progress', { key, progress: importProgress(key) });
  sharing = { publish };
  const timer = setInterval(() => {
    for (const key of running.keys()) publish(key);
    for (const [key, r] of remote) if (Date.now() - r.at > REMOTE_STALE_MS) remote.delete(key);
  }, SHARE_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    off();
    if (sharing?.publish === publish) sharing = null;
    remote.clear();
  };
}

/** Kept for the import route: rows read of the rows the preview counted. */
export function trackImport(uploadId: string, counter: RowCounter, rowCount: number): () => void {
  return trackPass(uploadId, { phase: 'importing', counter, rowCount });
}

const upTo99 = (part: number, whole: number) => (whole > 0 ? Math.min(99, Math.floor((part / whole) * 100)) : 0);

export function importProgress(key: string): UploadImportProgress {
  const r = running.get(key);
  if (!r) {
    const shared = remote.get(key);
    if (shared && Date.now() - shared.at <= REMOTE_STALE_MS) return shared.progress;
    return { running: false, rowsRead: 0, rowCount: 0, percent: 0 };
  }
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
