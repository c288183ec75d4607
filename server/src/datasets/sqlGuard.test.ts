import { describe, expect, it } from 'vitest';
import type { SqlDialect } from '../datasources/types.js';
import { checkReadOnlySql } from './sqlGuard.js';
import { tokenizeSql } from './sqlTokens.js';

const words = (sqlText: string, dialect: SqlDialect) =>
  tokenizeSql(sqlText, dialect)
    .filter((t) => t.kind === 'word' || (t.kind === 'symbol' && t.text === ';'))
    .map((t) => t.text);

function refusal(sqlText: string, dialect: SqlDialect): string {
  try {
    checkReadOnlySql(sqlText, dialect);
  } catch (err) {
    return (err as { msg: { zh: string } }).msg.zh;
  }
  throw new Error(`accepted: ${sqlText}`);
}

describe('tokenizeSql', () => {
  it('PostgreSQL: a backslash in a standard string is a plain character, in an E-string an escape', () => {
    expect(words(`SELECT '\\'; DELETE FROM t; --'`, 'postgres')).toEqual(['select', ';', 'delete', 'from', 't', ';']);
    expect(words(`SELECT E'\\'; DELETE FROM t; --'`, 'postgres')).toEqual(['select']);
    expect(words(`SELECT e'it''s \\\\' , x`, 'postgres')).toEqual(['select', 'x']);
  });

  it('PostgreSQL: dollar quoting, quoted names, nested comments and parameters', () => {
    expect(words('SELECT $$ ; DROP $$, $body$ it\'s $$ ; $body$ AS "a;""drop"', 'postgres')).toEqual(['select', 'as']);
    expect(words('SELECT /* outer /* inner */ still comment ; DROP */ 1 -- ; DROP\n, x$y$ FROM t WHERE a = $1', 'postgres')).toEqual([
      'select',
      'x$y$',
      'from',
      't',
      'where',
      'a',
    ]);
    // Digits do not hide a keyword glued to them.
    expect(words('SELECT 1delete', 'postgres')).toEqual(['select', 'delete']);
  });

  it('MySQL: backslash escapes in both quote styles, backticks, # and "-- " comments', () => {
    expect(words(`SELECT 'a\\'; DROP TABLE t; -- ' , "b\\"; DROP" , \`c;\`\`drop\``, 'mysql')).toEqual(['select']);
    expect(words('SELECT 1 # ; DROP\n, 2 -- ; DROP\n, 3--1', 'mysql')).toEqual(['select']);
    // In PostgreSQL the same quote rules differ: "…" is a name and backslash is not special.
    expect(words(`SELECT 'a\\'; DROP TABLE t; -- '`, 'postgres')).toEqual(['select', ';', 'drop', 'table', 't', ';']);
  });

  it('MySQL: an executable comment is code, an ordinary one is not', () => {
    expect(words('SELECT 1 /*! ; DROP TABLE t */', 'mysql')).toEqual(['select', ';', 'drop', 'table', 't']);
    expect(words('SELECT 1 /*!50001 INTO OUTFILE */ /*M!100101 , LOAD_FILE(x) */ /* INTO */', 'mysql')).toEqual([
      'select',
      'into',
      'outfile',
      'load_file',
      'x',
    ]);
    expect(words("SELECT /*! '*/' , 2 */ x", 'mysql')).toEqual(['select', 'x']);
  });

  it('refuses unterminated strings, names and comments', () => {
    expect(() => tokenizeSql("SELECT 'abc", 'postgres')).toThrow(/unterminated string/);
    expect(() => tokenizeSql('SELECT $a$ abc $b$', 'postgres')).toThrow(/unterminated string/);
    expect(() => tokenizeSql('SELECT /* /* */', 'postgres')).toThrow(/unterminated comment/);
    expect(() => tokenizeSql('SELECT `abc', 'mysql')).toThrow(/unterminated quoted name/);
    expect(() => tokenizeSql("SELECT 'a\\'", 'mysql')).toThrow(/unterminated string/);
  });
});

describe('checkReadOnlySql', () => {
  it('accepts queries whose names, strings or comments merely contain write words', () => {
    expect(checkReadOnlySql('SELECT updated_at, "delete" FROM t WHERE note = \'drop; insert\' -- update\n;', 'postgres')).toBe(
      'SELECT updated_at, "delete" FROM t WHERE note = \'drop; insert\' -- update',
    );
    expect(checkReadOnlySql("WITH a AS (SELECT 1 AS x) SELECT replace(x::text, '1', '2') FROM a;;", 'postgres')).toBe(
      "WITH a AS (SELECT 1 AS x) SELECT replace(x::text, '1', '2') FROM a",
    );
    expect(checkReadOnlySql('(SELECT 1) UNION ALL (SELECT 2)', 'duckdb')).toMatch(/UNION/);
    expect(checkReadOnlySql("SELECT `update`, 'a\\'; drop' FROM t", 'mysql')).toMatch(/^SELECT/);
    expect(checkReadOnlySql('SELECT CAST(x AS CHAR CHARACTER SET utf8mb4) FROM t', 'mysql')).toMatch(/^SELECT/);
    expect(checkReadOnlySql('SELECT $$;DROP$$ AS s', 'postgres')).toMatch(/^SELECT/);
  });

  it.each<[string, SqlDialect, RegExp]>([
    ['UPDATE t SET a = 1', 'postgres', /SELECT 或 WITH/],
    ['SELECT 1; SELECT 2', 'postgres', /一条语句/],
    ['SELECT 1 /* ; */ ; DROP TABLE t', 'postgres', /一条语句/],
    ["SELECT E'\\''; COMMIT; DELETE FROM t; --'", 'postgres', /一条语句/],
    ["SELECT E'\\'', 1) AS q; COMMIT; SELECT (1", 'postgres', /一条语句/],
    ["SELECT '\\'' ; COMMIT; DELETE FROM t; -- '", 'mysql', /一条语句/],
    ['SELECT "\\"" ; DROP TABLE t; -- "', 'mysql', /一条语句/],
    ['SELECT 1 /*!; DELETE FROM t */', 'mysql', /一条语句/],
    ['SELECT 1 COMMIT', 'postgres', /不允许 COMMIT/],
    ['BEGIN; SELECT 1', 'postgres', /一条语句/],
    ['BEGIN', 'mysql', /SELECT 或 WITH/],
    ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'postgres', /不允许 DELETE/],
    ['WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM u', 'postgres', /不允许 UPDATE/],
    ['WITH i AS (INSERT INTO t VALUES (1) RETURNING *) SELECT 1', 'postgres', /不允许 INSERT/],
    ['SELECT * INTO t2 FROM t', 'postgres', /不允许 INTO/],
    ["SELECT * FROM t INTO OUTFILE '/tmp/x'", 'mysql', /不允许 INTO/],
    ["SELECT 1 /*!50001 INTO DUMPFILE '/tmp/x' */", 'mysql', /不允许 INTO/],
    ["SELECT LOAD_FILE('/etc/passwd')", 'mysql', /不能使用 LOAD_FILE/],
    ["SELECT /*M! load_file('/etc/passwd') , */ 1", 'mysql', /不能使用 LOAD_FILE/],
    ["SELECT pg_read_file('/etc/passwd')", 'postgres', /不能使用 PG_READ_FILE/],
    ["SELECT pg_catalog.pg_read_binary_file('/etc/passwd')", 'postgres', /不能使用 PG_READ_BINARY_FILE/],
    ["SELECT * FROM pg_ls_dir('.')", 'postgres', /不能使用 PG_LS_DIR/],
    ["SELECT lo_export(1, '/tmp/x')", 'postgres', /不能使用 LO_EXPORT/],
    ["SELECT dblink_exec('dbname=x', 'DELETE FROM t')", 'postgres', /不能使用 DBLINK_EXEC/],
    ['SELECT pg_advisory_lock(1)', 'postgres', /不能使用 PG_ADVISORY_LOCK/],
    ["COPY (SELECT 1) TO PROGRAM 'touch /tmp/x'", 'postgres', /SELECT 或 WITH/],
    ["WITH x AS (SELECT 1) COPY x TO PROGRAM 'id'", 'postgres', /不允许 COPY/],
    ['SET ROLE postgres', 'postgres', /SELECT 或 WITH/],
    ["SELECT set_config('role', 'postgres', false)", 'postgres', /不能使用 SET_CONFIG/],
    ["SELECT 'unterminated", 'postgres', /未结束的字符串/],
    ['', 'postgres', /SELECT 或 WITH/],
  ])('refuses %s (%s)', (sqlText, dialect, why) => {
    expect(refusal(sqlText, dialect)).toMatch(why);
  });
});
