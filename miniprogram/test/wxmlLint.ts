import fs from 'node:fs';
import path from 'node:path';

/**
 * What the WeChat docs rule out in WXML/WXSS and the tools only warn about (or not at all):
 * - `wx:key` is the name of a property of the item, or `*this` (自定义组件/列表渲染 docs) — not a
 *   `{{...}}` expression and not the loop index;
 * - a vertical `scroll-view` needs a fixed height set through WXSS (scroll-view docs): `max-height`
 *   is not one;
 * - components and the pages that use them may only use class selectors: no id (#a), attribute
 *   ([a]) or tag selectors (组件模板和样式 docs); `page` and `:host` are the documented exceptions;
 * - under `"style": "v2"` WeChat's own `button:not([size=mini]) { width: 184px }` outranks a plain
 *   class, so a button's width must be set inline or with `!important`.
 */
export interface Violation {
  file: string;
  rule: 'wx:key' | 'scroll-view height' | 'selector' | 'button width';
  detail: string;
}

interface Tag {
  name: string;
  attrs: Record<string, string>;
}

export function parseTags(wxml: string): Tag[] {
  const tags: Tag[] = [];
  const src = wxml.replace(/<!--[\s\S]*?-->/g, '');
  const re = /<([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*\/?>/g;
  for (const m of src.matchAll(re)) {
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g)) attrs[a[1]!] = a[2] ?? a[3] ?? '';
    tags.push({ name: m[1]!, attrs });
  }
  return tags;
}

interface Rule {
  selectors: string[];
  body: string;
}

/** Top-level and @media rules of a stylesheet; @keyframes and @font-face are skipped. */
export function parseRules(wxss: string): Rule[] {
  const src = wxss.replace(/\/\*[\s\S]*?\*\//g, '');
  const rules: Rule[] = [];
  let i = 0;
  const walk = (end: number) => {
    while (i < end) {
      const open = src.indexOf('{', i);
      if (open < 0 || open >= end) return;
      const prelude = src.slice(i, open).trim();
      // Find the matching brace.
      let depth = 1;
      let j = open + 1;
      while (j < src.length && depth > 0) {
        if (src[j] === '{') depth++;
        else if (src[j] === '}') depth--;
        j++;
      }
      if (prelude.startsWith('@media') || prelude.startsWith('@supports')) {
        i = open + 1;
        walk(j - 1);
      } else if (!prelude.startsWith('@')) {
        rules.push({ selectors: prelude.split(',').map((s) => s.trim()).filter(Boolean), body: src.slice(open + 1, j - 1) });
      }
      i = j;
    }
  };
  walk(src.length);
  return rules;
}

/** Why a selector is not allowed in a component (or a page using components); null when fine. */
export function badSelector(selector: string, allowPage: boolean): string | null {
  if (/#[\w-]/.test(selector)) return 'id selector';
  if (/\[/.test(selector)) return 'attribute selector';
  // Compound parts, split at combinators; pseudo-classes/elements stripped.
  const parts = selector.replace(/::?[\w-]+(\([^)]*\))?/g, '').split(/\s*[\s>+~]\s*/).filter(Boolean);
  for (const part of parts) {
    const tag = /^[a-zA-Z][\w-]*/.exec(part)?.[0];
    if (!tag) continue;
    if (tag === 'page' && allowPage) continue;
    return `tag selector "${tag}"`;
  }
  return null;
}

const classesOf = (t: Tag) => (t.attrs.class ?? '').split(/\s+/).filter((c) => c && !c.includes('{{'));
const declares = (body: string, prop: string, important = false) =>
  new RegExp(`(^|[;{\\s])${prop}\\s*:[^;]*${important ? '!important' : ''}`).test(body);

function rulesForClass(rules: Rule[], cls: string): Rule[] {
  const re = new RegExp(`\\.${cls.replace(/[-]/g, '\\-')}(?![\\w-])`);
  // Only rules whose last compound part names the class style the element itself.
  return rules.filter((r) => r.selectors.some((s) => re.test(s.split(/\s*[\s>+~]\s*/).pop() ?? '')));
}

const isOn = (v: string | undefined) => v !== undefined && v.trim() !== '{{false}}' && v.trim() !== 'false';

export function checkWxml(file: string, wxml: string, rules: Rule[]): Violation[] {
  const out: Violation[] = [];
  for (const t of parseTags(wxml)) {
    const key = t.attrs['wx:key'];
    if (key !== undefined) {
      const index = t.attrs['wx:for-index'] ?? 'index';
      const item = t.attrs['wx:for-item'] ?? 'item';
      if (key !== '*this' && (!/^[A-Za-z_$][\w$]*$/.test(key) || key === index || key === item)) {
        out.push({ file, rule: 'wx:key', detail: `<${t.name} wx:key="${key}">: name a unique property of the item, or *this` });
      }
    }
    if (t.name === 'scroll-view' && isOn(t.attrs['scroll-y'])) {
      const style = t.attrs.style ?? '';
      const fixed = declares(style, 'height') || classesOf(t).some((c) => rulesForClass(rules, c).some((r) => declares(r.body, 'height')));
      if (!fixed) out.push({ file, rule: 'scroll-view height', detail: `vertical <scroll-view class="${t.attrs.class ?? ''}"> has no fixed height` });
    }
    if (t.name === 'button') {
      const style = t.attrs.style ?? '';
      const sized = declares(style, 'width') || classesOf(t).some((c) => rulesForClass(rules, c).some((r) => declares(r.body, 'width', true)));
      if (!sized) out.push({ file, rule: 'button width', detail: `<button class="${t.attrs.class ?? ''}"> keeps style v2's 184px width: set width inline or with !important` });
    }
  }
  return out;
}

export function checkWxss(file: string, wxss: string, allowPage: boolean): Violation[] {
  const out: Violation[] = [];
  for (const r of parseRules(wxss)) {
    for (const s of r.selectors) {
      const why = badSelector(s, allowPage);
      if (why) out.push({ file, rule: 'selector', detail: `"${s}": ${why}` });
    }
  }
  return out;
}

/** Every page and component of the mini program source, checked against the rules above. */
export function checkMiniprogram(srcDir: string): Violation[] {
  const read = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '');
  const appJson = JSON.parse(read(path.join(srcDir, 'app.json')) || '{}') as { pages?: string[]; usingComponents?: object };
  const appWxss = read(path.join(srcDir, 'app.wxss'));
  const appRules = parseRules(appWxss);
  const globalComponents = Object.keys(appJson.usingComponents ?? {}).length > 0;
  const out: Violation[] = [];
  const units: { base: string; component: boolean }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wxml')) {
        const base = p.slice(0, -5);
        const json = JSON.parse(read(`${base}.json`) || '{}') as { component?: boolean };
        units.push({ base, component: json.component === true });
      }
    }
  };
  walk(srcDir);
  let anyPageUsesComponents = globalComponents;
  for (const u of units) {
    const json = JSON.parse(read(`${u.base}.json`) || '{}') as { usingComponents?: object };
    const usesComponents = globalComponents || Object.keys(json.usingComponents ?? {}).length > 0;
    if (!u.component && usesComponents) anyPageUsesComponents = true;
    const own = read(`${u.base}.wxss`);
    const rel = path.relative(srcDir, u.base);
    // app.wxss reaches pages, not components (style isolation).
    out.push(...checkWxml(`${rel}.wxml`, read(`${u.base}.wxml`), [...(u.component ? [] : appRules), ...parseRules(own)]));
    if (u.component || usesComponents) out.push(...checkWxss(`${rel}.wxss`, own, !u.component));
  }
  if (anyPageUsesComponents) out.push(...checkWxss('app.wxss', appWxss, true));
  return out;
}
