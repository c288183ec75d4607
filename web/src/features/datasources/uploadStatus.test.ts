import { describe, expect, it } from 'vitest';
import { newProgressId, serverStatus, transferStatus } from './uploadStatus';

describe('transferStatus', () => {
  it('shows 上传中 with the share of bytes sent, then 分析中 with the server percent once every byte is out', () => {
    expect(transferStatus(null, undefined)).toEqual({ phase: 'uploading', percent: null });
    expect(transferStatus({ sent: 0, total: 4000, done: false }, undefined)).toEqual({ phase: 'uploading', percent: 0 });
    expect(transferStatus({ sent: 1000, total: 4000, done: false }, undefined)).toEqual({ phase: 'uploading', percent: 25 });
    // All sent but the server not answered: never 100 before it has.
    expect(transferStatus({ sent: 4000, total: 4000, done: false }, undefined).percent).toBe(99);
    const done = { sent: 1, total: 1, done: true };
    expect(transferStatus(done, { running: false, rowsRead: 0, rowCount: 0, percent: 0 })).toEqual({ phase: 'analyzing', percent: null });
    expect(transferStatus(done, { running: true, phase: 'analyzing', rowsRead: 1200, rowCount: 0, percent: 40 })).toEqual({
      phase: 'analyzing',
      percent: 40,
      rowsRead: 1200,
    });
  });

  it('keeps the percent unknown for a workbook the server cannot measure yet', () => {
    expect(transferStatus({ sent: 1, total: 1, done: true }, { running: true, phase: 'analyzing', rowsRead: 10, rowCount: 0, percent: null })).toEqual({
      phase: 'analyzing',
      percent: null,
      rowsRead: 10,
    });
  });
});

describe('serverStatus', () => {
  it('shows 导入中 rows of rows, and the sheet under way when every sheet is imported', () => {
    expect(serverStatus({ running: true, phase: 'importing', rowsRead: 500, rowCount: 1000, percent: 50 }, 'importing')).toEqual({
      phase: 'importing',
      percent: 50,
      rowsRead: 500,
      rowCount: 1000,
    });
    expect(
      serverStatus({ running: true, phase: 'analyzing', rowsRead: 3, rowCount: 0, percent: 20, sheet: '二月', sheetIndex: 2, sheetCount: 5 }, 'importing'),
    ).toEqual({ phase: 'analyzing', percent: 20, rowsRead: 3, sheet: { name: '二月', index: 2, count: 5 } });
  });

  it('falls back to the expected phase without a percent before the server reports', () => {
    expect(serverStatus(undefined, 'importing')).toEqual({ phase: 'importing', percent: null });
  });
});

describe('newProgressId', () => {
  it('makes ids the server accepts, different each time', () => {
    const a = newProgressId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{10,64}$/);
    expect(newProgressId()).not.toBe(a);
  });
});
