import type { SqlDialect } from '../../datasources/types.js';
import { msg, type Msg } from '../../errors.js';

/** Where an engine says a statement went wrong, as an offset into the text it was sent. */
export type EngineLocation = { offset: number } | { line: number; column: number | null } | null;

/**
 * PostgreSQL gives `position` (1-based character); DuckDB prints the line with a caret under the
 * spot; MySQL and MariaDB name only the line ("… at line 3").
 */
export function engineLocation(dialect: SqlDialect, err: unknown, sent: string): EngineLocation {
  const e = (err ?? {}) as { position?: string | number; message?: string };
  const text = String(e.message ?? '');
  if (dialect === 'postgres' && e.position !== undefined && Number(e.position) > 0) return { offset: Number(e.position) - 1 };
  if (dialect === 'duckdb') {
    const m = /\nLINE (\d+): (.*)\n( *)\^/.exec(text);
    if (m) {
      const line = Number(m[1]);
      const prefix = `LINE ${m[1]}: `.length;
      const caret = m[3]!.length - prefix;
      const lineText = sent.split('\n')[line - 1] ?? '';
      // The caret is exact for a whole ASCII line; DuckDB cuts long lines to an excerpt and
      // miscounts wide characters, so then look for the token the message names.
      if (!m[2]!.startsWith('...') && /^[\x00-\x7f]*$/.test(lineText)) return { offset: offsetOf(sent, line, caret + 1) };
      const token = /at or near "([^"]+)"|Referenced column "([^"]+)"/.exec(text);
      const name = token?.[1] ?? token?.[2];
      if (name) {
        const quoted = token?.[2] !== undefined ? `"${name}"` : name;
        const hit = lineText.indexOf(quoted) >= 0 ? quoted : name;
        const first = lineText.indexOf(hit);
        if (first >= 0 && first === lineText.lastIndexOf(hit)) return { offset: offsetOf(sent, line, first + 1) };
      }
      return { line, column: null };
    }
  }
  const at = /at line (\d+)/.exec(text);
  if (at) return { line: Number(at[1]), column: null };
  return null;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  return offset + column - 1;
}

/** The most common engine messages in Chinese; others keep the engine's words after a Chinese lead. */
const TRANSLATIONS: [RegExp, (m: RegExpExecArray) => Msg][] = [
  [/syntax error at or near "([^"]*)"/i, (m) => msg(`「${m[1]}」附近有语法错误`, `Syntax error at or near "${m[1]}"`)],
  [/syntax error at end of input/i, () => msg('语句不完整：结尾处有语法错误', 'Syntax error at the end of the statement')],
  [/You have an error in your SQL syntax.*?near '([\s\S]*?)' at line/i, (m) => msg(`「${m[1]!.slice(0, 40)}」附近有语法错误`, `Syntax error near "${m[1]!.slice(0, 40)}"`)],
  [/You have an error in your SQL syntax/i, () => msg('SQL 语法错误', 'SQL syntax error')],
  [/column "([^"]+)" does not exist/i, (m) => msg(`列「${m[1]}」不存在`, `Column "${m[1]}" does not exist`)],
  [/Referenced column "([^"]+)" not found/i, (m) => msg(`列「${m[1]}」不存在`, `Column "${m[1]}" does not exist`)],
  [/Unknown column '([^']+)'/i, (m) => msg(`列「${m[1]}」不存在`, `Column "${m[1]}" does not exist`)],
  [/relation "([^"]+)" does not exist/i, (m) => msg(`表「${m[1]}」不存在`, `Table "${m[1]}" does not exist`)],
  [/Table with name ([^\s!]+) does not exist/i, (m) => msg(`表「${m[1]}」不存在`, `Table "${m[1]}" does not exist`)],
  [/Table '([^']+)' doesn't exist/i, (m) => msg(`表「${m[1]!.replace(/^[^.]*\./, '')}」不存在`, `Table "${m[1]}" does not exist`)],
  [/function (\S+?)(\(.*?\))? does not exist/i, (m) => msg(`函数 ${m[1]} 不存在（或参数类型不符）`, `Function ${m[1]} does not exist (or takes other argument types)`)],
  [/Scalar Function with name (\S+) does not exist/i, (m) => msg(`函数 ${m[1]} 不存在`, `Function ${m[1]} does not exist`)],
  [/FUNCTION (\S+) does not exist/i, (m) => msg(`函数 ${m[1]} 不存在`, `Function ${m[1]} does not exist`)],
  [/division by zero/i, () => msg('除数为 0', 'Division by zero')],
  [/column reference "([^"]+)" is ambiguous|Column '([^']+)' in field list is ambiguous|Ambiguous reference to column name "([^"]+)"/i, (m) => {
    const c = m[1] ?? m[2] ?? m[3];
    return msg(`列「${c}」有歧义：多个表都有它，请加上表名`, `Column "${c}" is ambiguous: qualify it with its table`);
  }],
  [/must appear in the GROUP BY clause|must appear in the GROUP BY clause or must be part of an aggregate|isn't in GROUP BY/i, () =>
    msg('非聚合的列必须出现在 GROUP BY 中', 'Columns that are not aggregated must appear in GROUP BY')],
];

/** The engine's message (SQL text already removed) as a readable message in both languages. */
export function translateEngineMessage(text: string): Msg {
  for (const [re, make] of TRANSLATIONS) {
    const m = re.exec(text);
    if (m) return make(m);
  }
  return msg(`数据库报错：${text}`, `The database says: ${text}`);
}
