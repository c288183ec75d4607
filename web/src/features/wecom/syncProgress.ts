import type { WecomSyncProgress, WecomSyncStatus } from '@shulan/shared';

/**
 * Percent for the sync progress bar. Listing members (one call per department) is the long part,
 * so it spans 10–90 % by departments done; departments first, saving last.
 */
export function syncPercent(status: WecomSyncStatus, p: WecomSyncProgress | null): number {
  if (status === 'ok' || p?.phase === 'done') return 100;
  if (!p) return 0;
  if (p.phase === 'saving') return 95;
  if (p.phase === 'members' && p.total > 0) return Math.min(90, 10 + Math.round((80 * p.done) / p.total));
  if (p.phase === 'departments') return 5;
  return 2;
}

/** "YYYY-MM-DD HH:mm" of an instant in an IANA time zone (the schedule's, not the browser's). */
export function formatInZone(iso: string, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(iso));
  } catch {
    return iso;
  }
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
