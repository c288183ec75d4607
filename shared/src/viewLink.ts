import type { SelectionItem } from './api/reports.js';
import type { DrillPath } from './interaction.js';

/**
 * Drill-down paths and the linkage selection in a link (`drill=…&sel=…`), so whoever opens a
 * shared report sees what the sharer saw. No runtime imports: the mini program bundles this file
 * alone (`@shulan/shared/viewLink`).
 *
 * Compact on purpose, since a mini program page path is at most 1024 bytes: both are
 * `{widgetId: [category, …]}` as URI-encoded JSON. A selection is always the chain of categories
 * down one widget's hierarchy (`selectionFor` builds it that way on the web and on the phone), so
 * the field names are left out and come back from the widget's hierarchy (`restoreView`).
 */

/** Per widget id: categories from the top of its hierarchy down. */
export type Chains = Record<string, DrillPath>;

export interface ViewLink {
  drill: Chains;
  sel: Chains;
}

/** The selection as one chain of values per widget, in the order the items were chosen. */
export function selectionChains(selection: SelectionItem[]): Chains {
  const out: Chains = {};
  for (const s of selection) (out[s.widgetId] ??= []).push(s.value ?? null);
  return out;
}

const encode = (chains: Chains): string => {
  const kept = Object.fromEntries(Object.entries(chains).filter(([, c]) => c.length > 0));
  return Object.keys(kept).length ? encodeURIComponent(JSON.stringify(kept)) : '';
};

/** The `drill` and `sel` parameters of a view ('' when there is nothing to carry). */
export function encodeViewLink(drill: Chains, selection: SelectionItem[]): { drill: string; sel: string } {
  return { drill: encode(drill), sel: encode(selectionChains(selection)) };
}

const isScalar = (v: unknown): v is string | number | boolean | null =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A parameter as the runtime hands it over: still URI-encoded or already decoded. */
function parse(s: string | undefined): unknown {
  if (!s) return undefined;
  for (const text of /^[[{]/.test(s) ? [s, safeDecode(s)] : [safeDecode(s), s]) {
    try {
      return JSON.parse(text);
    } catch {
      // try the other reading
    }
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function chainsOf(v: unknown): Chains {
  const out: Chains = {};
  if (isRecord(v)) {
    for (const [id, chain] of Object.entries(v)) if (Array.isArray(chain) && chain.length > 0 && chain.every(isScalar)) out[id] = chain;
  } else if (Array.isArray(v)) {
    // The web viewer's `sel` form: a list of selection items.
    const items = v.filter((i): i is SelectionItem => isRecord(i) && typeof i.widgetId === 'string' && typeof i.field === 'string' && isScalar(i.value));
    return selectionChains(items);
  }
  return out;
}

/** The view a link carries; anything malformed (a cut or hand-edited link) is dropped, not fatal. */
export function decodeViewLink(drill: string | undefined, sel: string | undefined): ViewLink {
  return { drill: chainsOf(parse(drill)), sel: chainsOf(parse(sel)) };
}

/** WeChat's limit for a mini program page path (WeCom cards say ≤ 1024 bytes). */
export const LINK_MAX_BYTES = 1024;

/**
 * `base` with the non-empty parameters appended; while the path is too long the last parameter
 * is left out (so list the least important last). Returns the names it had to leave out.
 */
export function fitLink(base: string, params: [name: string, encoded: string][], max = LINK_MAX_BYTES): { path: string; dropped: string[] } {
  const kept = params.filter(([, v]) => v);
  const dropped: string[] = [];
  const sep = base.includes('?') ? '&' : '?';
  const join = () => base + kept.map(([k, v], i) => `${i === 0 ? sep : '&'}${k}=${v}`).join('');
  let path = join();
  // Encoded parameters are ASCII, so characters are bytes; the base may not be.
  while (kept.length > 0 && utf8Bytes(path) > max) {
    dropped.unshift(kept.pop()![0]);
    path = join();
  }
  return { path, dropped };
}

function utf8Bytes(s: string): number {
  return encodeURIComponent(s).replace(/%[0-9A-F]{2}/gi, '_').length;
}
