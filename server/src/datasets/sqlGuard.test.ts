import { describe, expect, it } from 'vitest';
import { checkReadOnlySql } from './sqlGuard.js';

describe('checkReadOnlySql', () => {
  it('accepts queries whose names or strings merely contain write words', () => {
    expect(checkReadOnlySql('SELECT updated_at, "delete" FROM t WHERE note = \'drop; insert\' -- update\n;')).toBe(
      'SELECT updated_at, "delete" FROM t WHERE note = \'drop; insert\' -- update',
    );
    expect(checkReadOnlySql('WITH a AS (SELECT 1 AS x) SELECT replace(x::text, \'1\', \'2\') FROM a')).toMatch(/^WITH/);
    expect(checkReadOnlySql('(SELECT 1) UNION ALL (SELECT 2)')).toMatch(/UNION/);
  });

  it.each([
    ['UPDATE t SET a = 1', /SELECT 或 WITH/],
    ['SELECT 1; SELECT 2', /一条语句/],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', /DELETE/],
    ['SELECT * INTO t2 FROM t', /INTO/],
    ['SELECT 1 /* ; */ ; DROP TABLE t', /一条语句/],
  ])('refuses %s', (sqlText, why) => {
    expect(() => checkReadOnlySql(sqlText)).toThrow();
    try {
      checkReadOnlySql(sqlText);
    } catch (err) {
      expect((err as { msg: { zh: string } }).msg.zh).toMatch(why);
    }
  });
});
