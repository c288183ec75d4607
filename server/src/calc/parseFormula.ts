import { fail } from './formulaError.js';

// A small hand-written Pratt parser rather than a library such as jsep: the language needs
// SQL-style `CASE WHEN … THEN … END`, `=`/`<>`, AND/OR/NOT words and `[中文字段名]` references,
// none of which jsep parses without plugins, and every error must carry a character position.

export type Node = { pos: number } & (
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'null' }
  | { k: 'field'; name: string }
  | { k: 'neg'; e: Node }
  | { k: 'not'; e: Node }
  | { k: 'bin'; op: BinOp; l: Node; r: Node }
  | { k: 'call'; name: string; args: Node[] }
  | { k: 'case'; whens: { cond: Node; then: Node }[]; else: Node | null }
);

export type BinOp = '+' | '-' | '*' | '/' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

type Tok =
  | { t: 'num'; v: number; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'field'; v: string; pos: number }
  | { t: 'word'; v: string; raw: string; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'end'; pos: number };

/** Full-width punctuation a Chinese keyboard produces, with the character meant. */
const FULL_WIDTH: Record<string, string> = { '，': ',', '（': '(', '）': ')', '【': '[', '】': ']', '‘': "'", '’': "'", '“': "'", '”': "'", '＝': '=', '＋': '+', '－': '-', '＊': '*', '／': '/', '＜': '<', '＞': '>' };

export const MAX_EXPRESSION_LENGTH = 2000;

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_\u4e00-\u9fff]/.test(src[i] ?? '')) fail(i, `数字后不能紧跟「${src[i]}」`, `"${src[i]}" cannot follow a number`);
      out.push({ t: 'num', v: Number(m[0]), pos: start });
      continue;
    }
    if (c === "'" || c === '"') {
      // 'it''s' — the quote doubled inside, as in SQL.
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) fail(start, '文本缺少结尾的引号', 'The text has no closing quote');
        if (src[i] === c) {
          if (src[i + 1] === c) {
            v += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i];
        i++;
      }
      out.push({ t: 'str', v, pos: start });
      continue;
    }
    if (c === '[') {
      const close = src.indexOf(']', i + 1);
      if (close < 0) fail(start, '字段名缺少结尾的 ]', 'The field name has no closing ]');
      const name = src.slice(i + 1, close).trim();
      if (!name) fail(start, '[] 中没有字段名', 'No field name inside []');
      out.push({ t: 'field', v: name, pos: start });
      i = close + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ t: 'word', v: m[0].toLowerCase(), raw: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '<>' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ t: 'op', v: two === '!=' ? '<>' : two, pos: start });
      i += 2;
      continue;
    }
    if ('+-*/(),=<>'.includes(c)) {
      out.push({ t: 'op', v: c, pos: start });
      i++;
      continue;
    }
    const meant = FULL_WIDTH[c];
    if (meant) fail(start, `请使用半角符号「${meant}」代替全角「${c}」`, `Use the half-width "${meant}" instead of the full-width "${c}"`);
    if (/[\u4e00-\u9fff]/.test(c)) fail(start, `字段名要写在方括号里，例如 [${/^[\u4e00-\u9fff\w]+/.exec(src.slice(i))![0]}]`, `Write field names in square brackets, e.g. [${/^[\u4e00-\u9fff\w]+/.exec(src.slice(i))![0]}]`);
    fail(start, `无法识别的字符「${c}」`, `Unexpected character "${c}"`);
  }
  out.push({ t: 'end', pos: src.length });
  return out;
}

const BINARY: Record<string, { op: BinOp; prec: number }> = {
  or: { op: 'or', prec: 1 },
  and: { op: 'and', prec: 2 },
  '=': { op: '=', prec: 4 },
  '<>': { op: '<>', prec: 4 },
  '<': { op: '<', prec: 4 },
  '<=': { op: '<=', prec: 4 },
  '>': { op: '>', prec: 4 },
  '>=': { op: '>=', prec: 4 },
  '+': { op: '+', prec: 5 },
  '-': { op: '-', prec: 5 },
  '*': { op: '*', prec: 6 },
  '/': { op: '/', prec: 6 },
};
const NOT_PREC = 3;
const NEG_PREC = 7;
const RESERVED = new Set(['and', 'or', 'not', 'case', 'when', 'then', 'else', 'end', 'true', 'false', 'null']);

const describe = (tok: Tok): { zh: string; en: string } => {
  switch (tok.t) {
    case 'end':
      return { zh: '表达式结尾', en: 'the end of the expression' };
    case 'num':
      return { zh: `数字 ${tok.v}`, en: `the number ${tok.v}` };
    case 'str':
      return { zh: `文本 '${tok.v}'`, en: `the text '${tok.v}'` };
    case 'field':
      return { zh: `字段 [${tok.v}]`, en: `the field [${tok.v}]` };
    case 'word':
      return { zh: `「${tok.raw}」`, en: `"${tok.raw}"` };
    case 'op':
      return { zh: `「${tok.v}」`, en: `"${tok.v}"` };
  }
};

/** Parses an expression; throws FormulaError with the position of the first mistake. */
export function parseFormula(src: string): Node {
  if (src.length > MAX_EXPRESSION_LENGTH) fail(MAX_EXPRESSION_LENGTH, `表达式不能超过 ${MAX_EXPRESSION_LENGTH} 个字符`, `An expression may not exceed ${MAX_EXPRESSION_LENGTH} characters`);
  const toks = tokenize(src);
  if (toks.length === 1) fail(0, '表达式为空', 'The expression is empty');
  let p = 0;
  const peek = () => toks[p]!;
  const next = () => toks[p++]!;
  const isWord = (w: string) => peek().t === 'word' && (peek() as { v: string }).v === w;
  const isOp = (o: string) => peek().t === 'op' && (peek() as { v: string }).v === o;
  const expect = (what: { zh: string; en: string }, ok: boolean) => {
    if (!ok) {
      const d = describe(peek());
      fail(peek().pos, `此处应为${what.zh}，却是${d.zh}`, `Expected ${what.en} but found ${d.en}`);
    }
    next();
  };

  function expr(minPrec: number, depth: number): Node {
    if (depth > 100) fail(peek().pos, '表达式嵌套太深', 'The expression is nested too deeply');
    let left = prefix(depth);
    for (;;) {
      const tok = peek();
      const key = tok.t === 'op' || tok.t === 'word' ? tok.v : null;
      const b = key === null ? undefined : BINARY[key];
      if (!b || b.prec <= minPrec) break;
      next();
      const right = expr(b.prec, depth + 1);
      left = { k: 'bin', op: b.op, l: left, r: right, pos: tok.pos };
    }
    return left;
  }

  function prefix(depth: number): Node {
    const tok = next();
    switch (tok.t) {
      case 'num':
        return { k: 'num', v: tok.v, pos: tok.pos };
      case 'str':
        return { k: 'str', v: tok.v, pos: tok.pos };
      case 'field':
        return { k: 'field', name: tok.v, pos: tok.pos };
      case 'op':
        if (tok.v === '(') {
          const inner = expr(0, depth + 1);
          expect({ zh: '「)」', en: '")"' }, isOp(')'));
          return inner;
        }
        if (tok.v === '-') return { k: 'neg', e: expr(NEG_PREC, depth + 1), pos: tok.pos };
        if (tok.v === '+') return expr(NEG_PREC, depth + 1);
        break;
      case 'word': {
        if (tok.v === 'true' || tok.v === 'false') return { k: 'bool', v: tok.v === 'true', pos: tok.pos };
        if (tok.v === 'null') return { k: 'null', pos: tok.pos };
        if (tok.v === 'not') return { k: 'not', e: expr(NOT_PREC, depth + 1), pos: tok.pos };
        if (tok.v === 'case') return caseExpr(tok.pos, depth);
        if (RESERVED.has(tok.v)) break;
        if (!isOp('(')) {
          fail(tok.pos, `未知的名称「${tok.raw}」：字段名要写在方括号里，如 [${tok.raw}]`, `Unknown name "${tok.raw}": write field names in square brackets, like [${tok.raw}]`);
        }
        next();
        const args: Node[] = [];
        if (!isOp(')')) {
          for (;;) {
            args.push(expr(0, depth + 1));
            if (isOp(',')) {
              next();
              continue;
            }
            break;
          }
        }
        expect({ zh: '「,」或「)」', en: '"," or ")"' }, isOp(')'));
        return { k: 'call', name: tok.v.toUpperCase(), args, pos: tok.pos };
      }
      case 'end':
        break;
    }
    const d = describe(tok);
    return fail(tok.pos, `此处应为一个值，却是${d.zh}`, `Expected a value but found ${d.en}`);
  }

  function caseExpr(pos: number, depth: number): Node {
    const whens: { cond: Node; then: Node }[] = [];
    expect({ zh: ' WHEN', en: 'WHEN' }, isWord('when'));
    for (;;) {
      const cond = expr(0, depth + 1);
      expect({ zh: ' THEN', en: 'THEN' }, isWord('then'));
      const then = expr(0, depth + 1);
      whens.push({ cond, then });
      if (isWord('when')) {
        next();
        continue;
      }
      break;
    }
    let otherwise: Node | null = null;
    if (isWord('else')) {
      next();
      otherwise = expr(0, depth + 1);
    }
    expect({ zh: ' WHEN、ELSE 或 END', en: 'WHEN, ELSE or END' }, isWord('end'));
    return { k: 'case', whens, else: otherwise, pos };
  }

  const root = expr(0, 0);
  if (peek().t !== 'end') {
    const d = describe(peek());
    fail(peek().pos, `多余的${d.zh}（是否缺少运算符？）`, `Unexpected ${d.en} (a missing operator?)`);
  }
  return root;
}
