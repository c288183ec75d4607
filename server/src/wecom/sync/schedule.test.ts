import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/testApp.js';
import { DEFAULT_SCHEDULE, dueEarlierToday, nextRuns } from './scheduleSync.js';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
});
afterAll(async () => t?.close());

const get = () => t.call({ method: 'GET', url: '/api/wecom/sync/schedule', headers: admin.headers });
const put = (body: object) => t.call({ method: 'PUT', url: '/api/wecom/sync/schedule', headers: admin.headers, body });

describe('sync schedule', () => {
  it('defaults to 02:00 Asia/Shanghai, which is 18:00 UTC the day before', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ cron: '0 2 * * *', timezone: 'Asia/Shanghai', active: false });
    expect(res.json.data.nextRuns).toHaveLength(3);
    for (const r of res.json.data.nextRuns) expect(r).toMatch(/T18:00:00\.000Z$/);
    // 10:00 UTC on the 25th is 18:00 in Shanghai: the next 02:00 there is 18:00 UTC the same day.
    expect(nextRuns(DEFAULT_SCHEDULE, 2, new Date('2026-11-25T10:00:00Z'))).toEqual(['2026-11-25T18:00:00.000Z', '2026-11-26T18:00:00.000Z']);
  });

  it('saves a valid cron and zone and shows the next runs in that zone', async () => {
    const res = await put({ cron: '30 3 * * 1-5', timezone: 'Europe/Berlin' });
    expect(res.status).toBe(200);
    expect(res.json.data).toMatchObject({ cron: '30 3 * * 1-5', timezone: 'Europe/Berlin' });
    expect(res.json.data.nextRuns).toHaveLength(3);
    // 03:30 in Berlin in winter (UTC+1) is 02:30 UTC; Monday 2026-01-05 is the first weekday.
    expect(nextRuns(res.json.data, 1, new Date('2026-01-03T12:00:00Z'))).toEqual(['2026-01-05T02:30:00.000Z']);
    expect((await get()).json.data.cron).toBe('30 3 * * 1-5');
  });

  it('refuses an unparsable cron expression or an unknown time zone with a message, keeping the old schedule', async () => {
    const badCron = await put({ cron: '0 25 * * * *x', timezone: 'Asia/Shanghai' });
    expect(badCron.status).toBe(400);
    expect(badCron.json.error.message).toContain('cron');
    const badZone = await put({ cron: '0 2 * * *', timezone: 'Mars/Olympus' });
    expect(badZone.status).toBe(400);
    expect(badZone.json.error.message).toContain('Mars/Olympus');
    const offset = await put({ cron: '0 2 * * *', timezone: '+08:00' });
    expect(offset.status).toBe(400);
    expect((await put({ cron: '0 2 * * *', extra: 1, timezone: 'Asia/Shanghai' })).status).toBe(400);
    expect((await get()).json.data.cron).toBe('30 3 * * 1-5');
  });

  it('knows which scheduled run was due earlier the same day in the schedule\'s zone', () => {
    // 09:00 in Shanghai on the 26th: that day's 02:00 was 18:00 UTC on the 25th.
    expect(dueEarlierToday(DEFAULT_SCHEDULE, new Date('2026-11-26T01:00:00Z'))?.toISOString()).toBe('2026-11-25T18:00:00.000Z');
    // 01:30 in Shanghai: the last 02:00 was yesterday's.
    expect(dueEarlierToday(DEFAULT_SCHEDULE, new Date('2026-11-25T17:30:00Z'))).toBeNull();
    const weekly = { cron: '30 3 * * 1', timezone: 'Europe/Berlin' };
    expect(dueEarlierToday(weekly, new Date('2026-01-05T10:00:00Z'))?.toISOString()).toBe('2026-01-05T02:30:00.000Z'); // Monday
    expect(dueEarlierToday(weekly, new Date('2026-01-06T10:00:00Z'))).toBeNull(); // Tuesday
  });
});
