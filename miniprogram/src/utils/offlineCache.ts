import type { ReportDetail, WidgetData } from '@shulan/shared';
import type { FilterState } from './filters';

/**
 * The last data seen per report, for when the network fails: definition, filter values and
 * widget results, in wx storage. WeChat allows 10 MB per mini program and 1 MB per key; we keep
 * far below (256 KB a report, 2 MB in all, 20 reports, least recently saved dropped first).
 * The cache belongs to one user: it is emptied on logout and when another user logs in, and a
 * snapshot is only ever read back for the user who saved it.
 */
export const OFFLINE_LIMITS = { entryBytes: 256 * 1024, totalBytes: 2 * 1024 * 1024, reports: 20, tableRows: 100 } as const;

const INDEX_KEY = 'shulan.offline';
const ENTRY_PREFIX = 'shulan.offline.';

export interface OfflineSnapshot {
  owner: string;
  /** ISO time the data was fetched. */
  savedAt: string;
  report: ReportDetail;
  filters: FilterState;
  widgets: Record<string, WidgetData>;
}

interface Index {
  owner: string;
  /** Most recently saved first. */
  items: { id: string; bytes: number }[];
}

function readIndex(): Index | null {
  const v = wx.getStorageSync(INDEX_KEY) as Index | '';
  return v && typeof v === 'object' && Array.isArray(v.items) ? v : null;
}

/** Empties the whole cache (logout, another user, storage trouble). */
export function clearOfflineCache(): void {
  const index = readIndex();
  for (const item of index?.items ?? []) wx.removeStorageSync(ENTRY_PREFIX + item.id);
  wx.removeStorageSync(INDEX_KEY);
}

/** A user has logged in: a cache left by anyone else goes, so it can never be shown to them. */
export function claimOfflineCache(userId: string): void {
  const index = readIndex();
  if (index && index.owner !== userId) clearOfflineCache();
}

/** Remembers what the user just saw of a report. Best effort: never throws. */
export function saveSnapshot(snapshot: OfflineSnapshot): void {
  try {
    const slim: OfflineSnapshot = { ...snapshot, widgets: {} };
    for (const [id, data] of Object.entries(snapshot.widgets)) {
      // Long tables: the first rows are what a phone screen shows anyway.
      slim.widgets[id] = data.rows.length > OFFLINE_LIMITS.tableRows ? { ...data, rows: data.rows.slice(0, OFFLINE_LIMITS.tableRows) } : data;
    }
    const bytes = utf8Length(JSON.stringify(slim));
    if (bytes > OFFLINE_LIMITS.entryBytes) return;

    let index = readIndex();
    if (index && index.owner !== snapshot.owner) {
      clearOfflineCache();
      index = null;
    }
    const kept = (index?.items ?? []).filter((i) => i.id !== snapshot.report.id);
    let total = bytes + kept.reduce((s, i) => s + i.bytes, 0);
    while (kept.length > 0 && (total > OFFLINE_LIMITS.totalBytes || kept.length + 1 > OFFLINE_LIMITS.reports)) {
      const dropped = kept.pop()!;
      total -= dropped.bytes;
      wx.removeStorageSync(ENTRY_PREFIX + dropped.id);
    }
    wx.setStorageSync(ENTRY_PREFIX + snapshot.report.id, slim);
    wx.setStorageSync(INDEX_KEY, { owner: snapshot.owner, items: [{ id: snapshot.report.id, bytes }, ...kept] } satisfies Index);
  } catch {
    // Storage full or refused: an offline copy is a convenience, not worth a broken page.
    try {
      clearOfflineCache();
    } catch {
      // nothing more to do
    }
  }
}

/** The last snapshot of a report saved by this user, or null. */
export function loadSnapshot(owner: string, reportId: string): OfflineSnapshot | null {
  const index = readIndex();
  if (!index || index.owner !== owner || !index.items.some((i) => i.id === reportId)) return null;
  const snap = wx.getStorageSync(ENTRY_PREFIX + reportId) as OfflineSnapshot | '';
  return snap && typeof snap === 'object' && snap.owner === owner ? snap : null;
}

/** A failure the offline copy can stand in for: no network, or the server cannot be reached. */
export function isNetworkFailure(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === 'network_down' || code === 'unreachable';
}

/** "2026-12-01 09:30" in the phone's time zone, built by hand (locale formatting options vary on Android). */
export function formatSavedAt(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Bytes of a string in UTF-8 (how WeChat counts storage); TextEncoder is missing on older runtimes. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
