import { ValidationError, msg } from '../errors.js';

/** Words that write, change the schema or escape the query: refused anywhere outside strings. */
const FORBIDDEN =
  /\b(insert|update|delete|merge|upsert|create|drop|alter|truncate|rename|grant|revoke|copy|call|exec|execute|into|set|reset|pragma|attach|detach|install|load|export|import|vacuum|checkpoint|lock|unlock|begin|commit|rollback|savepoint|prepare|deallocate|listen|notify|outfile|dumpfile)\b/i;

/** SQL with string literals, quoted identifiers and comments blanked out, so keywords in them don't count. */
function code(sqlText: string): string {
  return sqlText
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/"(?:[^"]|"")*"/g, '""')
    .replace(/`(?:[^`]|``)*`/g, '``')
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/**
 * Checks a SQL dataset is exactly one read-only SELECT/WITH statement and returns it without a
 * trailing semicolon. The databases enforce read-only too; this gives the user a clear message.
 */
export function checkReadOnlySql(raw: string): string {
  const sqlText = raw.trim().replace(/[;\s]+$/, '');
  const stripped = code(sqlText).trim();
  if (stripped.includes(';')) {
    throw new ValidationError(msg('SQL 只能包含一条语句（不能用分号分隔多条）', 'The SQL must be a single statement (no ";")'));
  }
  if (!/^\(*\s*(select|with)\b/i.test(stripped)) {
    throw new ValidationError(msg('SQL 数据集只能是查询语句（以 SELECT 或 WITH 开头）', 'A SQL dataset must be a query starting with SELECT or WITH'));
  }
  const bad = FORBIDDEN.exec(stripped);
  if (bad) {
    const word = bad[1]!.toUpperCase();
    throw new ValidationError(
      msg(`SQL 数据集只能读取数据，不允许 ${word}`, `A SQL dataset may only read data; ${word} is not allowed`),
    );
  }
  return sqlText;
}
