import type { SqlDialect } from '../datasources/types.js';
import { ValidationError, msg } from '../errors.js';

/**
 * A lexical token of SQL. Strings, quoted names and comments are whole tokens (comments are
 * dropped), so a word inside them never counts as a keyword.
 */
export interface SqlToken {
  kind: 'word' | 'quoted_name' | 'string' | 'number' | 'param' | 'symbol';
  /** Source text; for words lower-cased. */
  text: string;
  /** Offset in the SQL text. */
  at: number;
}

// A hand-written lexer rather than a SQL parser library: parsers refuse valid queries they do
// not support, and this only has to split text the way each server's own lexer does. It is a
// friendly early check; the read-only transaction and single-statement protocol are the guard.

const WORD_START = /[A-Za-z_\u0080-\uFFFF]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uFFFF]/;
const NUMBER = /^(?:0[xXbBoO][0-9A-Fa-f_]+|[\d_]*\.?[\d_]+(?:[eE][+-]?\d+)?\.?)/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/;

const unterminated = (what: { zh: string; en: string }) =>
  new ValidationError(msg(`SQL 中有未结束的${what.zh}`, `The SQL has an unterminated ${what.en}`));
const STRING = { zh: '字符串', en: 'string' };
const NAME = { zh: '带引号的名称', en: 'quoted name' };
const COMMENT = { zh: '注释', en: 'comment' };

/**
 * Splits SQL into tokens the way the server would. `postgres` and `duckdb` (same lexer family):
 * '…' with '' escapes, E'…' with backslash escapes, $tag$…$tag$, "names", -- and nested block
 * comments. `mysql` (MySQL and MariaDB in their default sql_mode, which the connector sets):
 * '…' and "…" with backslash escapes, `names`, #, "-- " and block comments, except that the
 * body of an executable comment (/*! … *\/, /*M! … *\/) is code.
 */
export function tokenizeSql(sqlText: string, dialect: SqlDialect): SqlToken[] {
  const mysql = dialect === 'mysql';
  const tokens: SqlToken[] = [];
  const n = sqlText.length;
  let i = 0;
  /** Inside a MySQL executable comment: its closing `*\/` is skipped like whitespace. */
  let inExecutable = false;

  /** Index just past a quoted run that started at `start` (the opening quote). */
  const quoted = (start: number, quote: string, backslash: boolean, what: typeof STRING): number => {
    let j = start + 1;
    for (;;) {
      if (j >= n) throw unterminated(what);
      const c = sqlText[j]!;
      if (backslash && c === '\\') j += 2;
      else if (c === quote && sqlText[j + 1] === quote) j += 2;
      else if (c === quote) return j + 1;
      else j += 1;
    }
  };

  while (i < n) {
    const c = sqlText[i]!;
    const next = sqlText[i + 1];
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '-' && next === '-' && (!mysql || i + 2 >= n || /[\s\x00-\x1f]/.test(sqlText[i + 2]!))) {
      const end = sqlText.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (mysql && c === '#') {
      const end = sqlText.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      const executable = mysql && /^\/\*M?!/.exec(sqlText.slice(i, i + 4));
      if (executable) {
        // The optional version number after the bang is not code.
        i += executable[0].length;
        while (i < n && /\d/.test(sqlText[i]!)) i += 1;
        inExecutable = true;
      } else {
        i = skipBlockComment(sqlText, i, !mysql);
      }
    } else if (mysql && inExecutable && c === '*' && next === '/') {
      inExecutable = false;
      i += 2;
    } else if (c === "'") {
      const end = quoted(i, "'", mysql, STRING);
      tokens.push({ kind: 'string', text: sqlText.slice(i, end), at: i });
      i = end;
    } else if (c === '"') {
      const end = quoted(i, '"', mysql, mysql ? STRING : NAME);
      tokens.push({ kind: mysql ? 'string' : 'quoted_name', text: sqlText.slice(i, end), at: i });
      i = end;
    } else if (mysql && c === '`') {
      const end = quoted(i, '`', false, NAME);
      tokens.push({ kind: 'quoted_name', text: sqlText.slice(i, end), at: i });
      i = end;
    } else if (!mysql && c === '$' && DOLLAR_TAG.test(sqlText.slice(i, i + 65))) {
      const tag = DOLLAR_TAG.exec(sqlText.slice(i, i + 65))![0];
      const close = sqlText.indexOf(tag, i + tag.length);
      if (close < 0) throw unterminated(STRING);
      tokens.push({ kind: 'string', text: sqlText.slice(i, close + tag.length), at: i });
      i = close + tag.length;
    } else if ((c === '$' && /\d/.test(next ?? '')) || (mysql && c === '?')) {
      let j = i + 1;
      while (j < n && /\d/.test(sqlText[j]!)) j += 1;
      tokens.push({ kind: 'param', text: sqlText.slice(i, j), at: i });
      i = j;
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(next ?? ''))) {
      // Letters after the digits start a new word, so `1delete` still shows the keyword.
      const number = NUMBER.exec(sqlText.slice(i, i + 200))![0];
      tokens.push({ kind: 'number', text: number, at: i });
      i += number.length;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(sqlText[j]!)) j += 1;
      const word = sqlText.slice(i, j);
      if (!mysql && (word === 'e' || word === 'E') && sqlText[j] === "'") {
        // E'…': PostgreSQL's escape string, where \' does not end the string.
        const end = quoted(j, "'", true, STRING);
        tokens.push({ kind: 'string', text: sqlText.slice(i, end), at: i });
        i = end;
      } else {
        tokens.push({ kind: 'word', text: word.toLowerCase(), at: i });
        i = j;
      }
    } else {
      tokens.push({ kind: 'symbol', text: c, at: i });
      i += 1;
    }
  }
  if (inExecutable) throw unterminated(COMMENT);
  return tokens;
}

/** Index just past the block comment opening at `start`; PostgreSQL's nest, MySQL's do not. */
function skipBlockComment(sqlText: string, start: number, nested: boolean): number {
  let depth = 1;
  let j = start + 2;
  while (j < sqlText.length) {
    if (nested && sqlText.startsWith('/*', j)) {
      depth += 1;
      j += 2;
    } else if (sqlText.startsWith('*/', j)) {
      depth -= 1;
      j += 2;
      if (depth === 0) return j;
    } else {
      j += 1;
    }
  }
  throw unterminated(COMMENT);
}
