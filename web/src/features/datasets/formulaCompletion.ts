import { FORMULA_FUNCTIONS, FORMULA_KEYWORDS } from '@shulan/shared';

export interface CompletionItem {
  kind: 'field' | 'function' | 'keyword';
  /** What the list shows: the field name, `SUM`, `CASE`. */
  label: string;
  /** What replaces the typed word: `[销售额]`, `SUM(`, `CASE `. */
  insert: string;
}

/** The suggestions for the word at the cursor, and the span of text a chosen one replaces. */
export interface Completion {
  from: number;
  to: number;
  items: CompletionItem[];
}

const MAX_ITEMS = 12;
/** A word being typed: letters (Chinese too), digits and _, not starting with a digit. */
const WORD_BEFORE = /[\p{L}_][\p{L}\p{N}_]*$/u;
const WORD_AFTER = /^[\p{L}\p{N}_]*/u;

/**
 * What to suggest with the cursor at `caret`: inside `[…` the fields whose names contain what is
 * typed (inserted as `[名称]`); on a word, the functions and keywords it starts (`SU` → `SUM(`)
 * and the fields it matches (a Chinese word typed without brackets gets them). Nothing inside a
 * quoted text or with no word typed.
 */
export function formulaCompletions(text: string, caret: number, fieldNames: readonly string[]): Completion | null {
  const before = text.slice(0, caret);
  const open = openBracketOrQuote(before);
  if (open?.quote) return null;
  if (open) {
    const typed = before.slice(open.at + 1).trim().toLowerCase();
    // Editing inside an existing [名称]: the whole reference is replaced, its ] included.
    const rest = /^[^[\]'"]*\]/.exec(text.slice(caret));
    const items = rankFields(fieldNames, typed, true).map(fieldItem);
    return items.length ? { from: open.at, to: caret + (rest ? rest[0].length : 0), items } : null;
  }
  const word = WORD_BEFORE.exec(before)?.[0];
  if (!word) return null;
  const from = caret - word.length;
  const to = caret + (WORD_AFTER.exec(text.slice(caret))?.[0].length ?? 0);
  const upper = word.toUpperCase();
  const items: CompletionItem[] = [
    ...FORMULA_FUNCTIONS.filter((f) => f.name.startsWith(upper)).map((f): CompletionItem => ({ kind: 'function', label: f.name, insert: `${f.name}(` })),
    // A keyword typed out in full needs no suggestion (Enter then makes a new line as usual).
    ...FORMULA_KEYWORDS.filter((k) => k.startsWith(upper) && k !== upper).map((k): CompletionItem => ({ kind: 'keyword', label: k, insert: `${k} ` })),
    ...rankFields(fieldNames, word.toLowerCase(), false).map(fieldItem),
  ].slice(0, MAX_ITEMS);
  return items.length ? { from, to, items } : null;
}

/** The text with a suggestion put in, and where the cursor goes (after it; inside a function's brackets). */
export function applyCompletion(text: string, c: Completion, item: CompletionItem): { text: string; caret: number } {
  // Renaming a function already followed by its "(": keep that one rather than add a second.
  const insert = item.kind === 'function' && text[c.to] === '(' ? item.label : item.insert;
  const caret = c.from + insert.length + (insert === item.insert ? 0 : 1);
  return { text: text.slice(0, c.from) + insert + text.slice(c.to), caret };
}

const fieldItem = (name: string): CompletionItem => ({ kind: 'field', label: name, insert: `[${name}]` });

/** Fields whose names start with what is typed first, then those containing it; all of them for `[`. */
function rankFields(names: readonly string[], typed: string, all: boolean): string[] {
  if (!typed) return all ? names.slice(0, MAX_ITEMS) : [];
  const lower = (n: string) => n.toLowerCase();
  const starts = names.filter((n) => lower(n).startsWith(typed));
  const contains = names.filter((n) => !lower(n).startsWith(typed) && lower(n).includes(typed));
  return [...starts, ...contains].slice(0, MAX_ITEMS);
}

/** An unclosed `[` or quote before the cursor (the parser's rules: '' inside a quote is a quote). */
function openBracketOrQuote(s: string): { at: number; quote: boolean } | null {
  let open: { at: number; quote: boolean } | null = null;
  let quoteChar = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (open?.quote) {
      if (c === quoteChar) open = null; // a doubled quote closes and reopens: same result
      continue;
    }
    if (open) {
      if (c === ']') open = null;
      continue;
    }
    if (c === '[') open = { at: i, quote: false };
    else if (c === "'" || c === '"') {
      open = { at: i, quote: true };
      quoteChar = c;
    }
  }
  return open;
}
