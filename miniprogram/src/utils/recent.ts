import type { ReportSummary } from '@shulan/shared';
import { storage } from './storage';

const MAX_RECENT = 20;

/** Remembers that a report was opened (most recent first). */
export function markViewed(reportId: string): void {
  storage.setRecent([reportId, ...storage.recent().filter((id) => id !== reportId)].slice(0, MAX_RECENT));
}

/** Recently viewed reports first (in viewing order), then the rest in the server's order. */
export function recentFirst<T extends Pick<ReportSummary, 'id'>>(items: T[], recent: string[]): (T & { recent: boolean })[] {
  const rank = new Map(recent.map((id, i) => [id, i]));
  const seen = items.filter((r) => rank.has(r.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  const rest = items.filter((r) => !rank.has(r.id));
  return [...seen.map((r) => ({ ...r, recent: true })), ...rest.map((r) => ({ ...r, recent: false }))];
}
