import { describe, expect, it } from 'vitest';
import { explainConnectionError, withoutSqlText } from './connectionErrors.js';

const ep = { host: 'db.example', port: 5432, database: 'sales', user: 'bi' };

// The timeout cases need a server that never answers for 5 s; these are the errors the drivers throw then.
describe('explainConnectionError', () => {
  it('explains connection timeouts from pg and mysql2', () => {
    const pgTimeout = new Error('Connection terminated due to connection timeout');
    const myTimeout = Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
    for (const err of [pgTimeout, myTimeout]) {
      expect(explainConnectionError(err, ep)?.zh).toBe('连接 db.example:5432 超时，请检查网络、防火墙和地址');
    }
  });

  it('explains an unknown host and leaves other errors alone', () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND db.example'), { code: 'ENOTFOUND' });
    expect(explainConnectionError(dns, ep)?.zh).toBe('找不到主机 db.example，请检查地址');
    expect(explainConnectionError(new Error('column "x" does not exist'), ep)).toBeNull();
  });
});

describe('withoutSqlText', () => {
  it("drops DuckDB's LINE excerpt and MySQL's near '…' quote, keeping what went wrong", () => {
    expect(withoutSqlText('Binder Error: Referenced column "nope" not found\n\nLINE 1: select "nope" from t\n               ^')).toBe(
      'Binder Error: Referenced column "nope" not found',
    );
    expect(
      withoutSqlText("You have an error in your SQL syntax; check the manual for the right syntax to use near 'DELETE FROM t' at line 2"),
    ).toBe('You have an error in your SQL syntax; check the manual for the right syntax to use at line 2');
    expect(withoutSqlText('column "x" does not exist')).toBe('column "x" does not exist');
  });
});
