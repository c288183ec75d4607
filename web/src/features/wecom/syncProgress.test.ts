import { describe, expect, it } from 'vitest';
import { formatInZone, syncPercent } from './syncProgress';

describe('syncPercent', () => {
  it('moves forward through the phases and ends full', () => {
    const steps = [
      syncPercent('running', { phase: 'starting', done: 0, total: 0 }),
      syncPercent('running', { phase: 'departments', done: 0, total: 1 }),
      syncPercent('running', { phase: 'members', done: 0, total: 24 }),
      syncPercent('running', { phase: 'members', done: 12, total: 24 }),
      syncPercent('running', { phase: 'members', done: 24, total: 24 }),
      syncPercent('running', { phase: 'saving', done: 0, total: 1 }),
      syncPercent('ok', { phase: 'done', done: 1, total: 1 }),
    ];
    expect(steps).toEqual([2, 5, 10, 50, 90, 95, 100]);
  });

  it('keeps a failed run where it stopped', () => {
    expect(syncPercent('failed', { phase: 'members', done: 6, total: 24 })).toBe(30);
    expect(syncPercent('running', null)).toBe(0);
  });
});

describe('formatInZone', () => {
  it("shows the run time in the schedule's zone, not the browser's", () => {
    // 02:00 in Shanghai is 18:00 UTC the day before.
    expect(formatInZone('2026-11-25T18:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-26 02:00');
    expect(formatInZone('2026-11-25T18:00:00.000Z', 'UTC')).toBe('2026-11-25 18:00');
  });

  it('falls back to the ISO text for an unknown zone', () => {
    expect(formatInZone('2026-11-25T18:00:00.000Z', 'Mars/Olympus')).toBe('2026-11-25T18:00:00.000Z');
  });
});
