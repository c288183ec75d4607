import type { SqlDialect } from '../datasources/types.js';
import { ValidationError, msg } from '../errors.js';
import { tokenizeSql, type SqlToken } from './sqlTokens.js';

/** Words that write, change the schema, end the transaction or change the session (SET ROLE…). */
const WRITE_WORDS = new Set(
  'insert update delete merge upsert create drop alter truncate rename grant revoke copy call exec execute into set reset pragma attach detach install load export import vacuum checkpoint lock unlock begin commit rollback savepoint prepare deallocate listen notify outfile dumpfile'.split(
    ' ',
  ),
);

/** Functions that reach the server's files or programs, other databases, or other sessions. */
const SERVER_FUNCTIONS = new Set(
  'load_file pg_read_file pg_read_binary_file pg_ls_dir pg_stat_file pg_file_write lo_import lo_export lo_get lo_put lo_from_bytea lo_unlink lo_create lo_creat pg_terminate_backend pg_cancel_backend pg_reload_conf pg_rotate_logfile set_config get_lock release_lock release_all_locks sys_exec sys_eval'.split(
    ' ',
  ),
);
/** Prefixes of function families refused as a whole (dblink_exec, pg_advisory_lock_shared…). */
const SERVER_FUNCTION_PREFIXES = ['dblink', 'pg_advisory'];

const isServerFunction = (word: string) =>
  SERVER_FUNCTIONS.has(word) || SERVER_FUNCTION_PREFIXES.some((p) => word.startsWith(p));

/**
 * Checks a SQL dataset is exactly one read-only SELECT/WITH statement and returns it without a
 * trailing semicolon. This is a friendly early error: the connectors run dataset SQL as a single
 * prepared statement in a read-only transaction, which is what actually stops writes.
 */
export function checkReadOnlySql(raw: string, dialect: SqlDialect): string {
  const all = tokenizeSql(raw, dialect);
  let end = all.length;
  while (end > 0 && all[end - 1]!.text === ';') end -= 1;
  const tokens = all.slice(0, end);
  // Cut at the first trailing semicolon: comments after the query stay, the semicolons go.
  const sqlText = (end < all.length ? raw.slice(0, all[end]!.at) : raw).trimEnd().replace(/^\s+/, '');

  if (tokens.some((t) => t.kind === 'symbol' && t.text === ';')) {
    throw new ValidationError(msg('SQL 只能包含一条语句（不能用分号分隔多条）', 'The SQL must be a single statement (no ";")'));
  }
  const first = tokens.find((t) => !(t.kind === 'symbol' && t.text === '('));
  if (!first || first.kind !== 'word' || (first.text !== 'select' && first.text !== 'with')) {
    throw new ValidationError(msg('SQL 数据集只能是查询语句（以 SELECT 或 WITH 开头）', 'A SQL dataset must be a query starting with SELECT or WITH'));
  }
  tokens.forEach((t, i) => {
    if (t.kind !== 'word') return;
    if (isServerFunction(t.text)) {
      const word = t.text.toUpperCase();
      throw new ValidationError(
        msg(
          `SQL 数据集不能使用 ${word}：它会访问服务器上的文件、程序、其他数据库或其他会话`,
          `A SQL dataset may not use ${word}: it reaches the server's files or programs, other databases or other sessions`,
        ),
      );
    }
    if (WRITE_WORDS.has(t.text) && !isCharacterSet(tokens, i)) {
      const word = t.text.toUpperCase();
      throw new ValidationError(
        msg(`SQL 数据集只能读取数据，不允许 ${word}`, `A SQL dataset may only read data; ${word} is not allowed`),
      );
    }
  });
  return sqlText;
}

/** `CHARACTER SET utf8mb4` in a MySQL cast is read syntax, not the SET statement. */
function isCharacterSet(tokens: SqlToken[], i: number): boolean {
  const prev = tokens[i - 1];
  return tokens[i]!.text === 'set' && prev?.kind === 'word' && prev.text === 'character';
}
