import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSimulate } from './domInNode';
import type { PageInstance } from './pageHarness';

/**
 * A page's own template (src/pages/<route>/index.wxml) rendered with miniprogram-simulate and kept
 * bound to a running page instance: what is shown is always the page's current `data`, and every
 * `bind…="onX"` in the view calls the page's own method. Components come from a built package
 * (the JS that ships). `<canvas type="2d">` gets a recording 2d context, which simulate's selector
 * query lacks (no `node` field).
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

type Simulate = Awaited<ReturnType<typeof loadSimulate>>;
type Rendered = ReturnType<Simulate['render']>;

/** A 375pt-wide phone: the card's canvas is the screen minus the page and card padding. */
export const CANVAS_WIDTH = 327;

export interface Canvas {
  /** Every call on the 2d context, numbers rounded: `fillText(华东,40,200)`. */
  calls: string[];
  /** The size the chart asked for (CSS px × pixel ratio). */
  node: { width: number; height: number };
  /** The CSS height the template gave the canvas. */
  cssHeight: number;
}

const canvases = new WeakMap<object, Canvas>();

function recordingCanvas(cssHeight: number): Canvas & { node: { getContext(): unknown } } {
  const calls: string[] = [];
  const state: Record<string, unknown> = { fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: '', textBaseline: '', globalAlpha: 1 };
  const ctx = new Proxy(state, {
    get(target, prop: string) {
      if (prop in target) return target[prop];
      return (...args: unknown[]) => calls.push(`${prop}(${args.map((a) => (typeof a === 'number' ? Math.round(a) : a)).join(',')})`);
    },
  });
  return { calls, cssHeight, node: { width: 0, height: 0, getContext: () => ctx } };
}

interface ExparserNode {
  childNodes?: ExparserNode[];
  shadowRoot?: ExparserNode;
  _vt?: { tagName?: string };
  __componentNode__?: Rendered;
}
const simulateRequire = () => createRequire(createRequire(import.meta.url).resolve('miniprogram-simulate'));
/** j-component's wrapper of an exparser node (what querySelector returns). */
let JComponent: new (node: ExparserNode) => Rendered;

/** The first custom component `<tag>` at or under `node`, in document order (not inside components). */
function firstComponent(node: ExparserNode, tag: string): ExparserNode | undefined {
  for (const child of node.childNodes ?? []) {
    if (child._vt?.tagName === tag) return child;
    const deeper = firstComponent(child, tag);
    if (deeper) return deeper;
  }
  return undefined;
}

let patched = false;
/** Answers `fields({ node: true, size: true })` on a canvas with a recording one, as WeChat does. */
function patchSelectorQuery(): void {
  if (patched) return;
  patched = true;
  const req = simulateRequire();
  // Only RootComponent is exported; its base class wraps any node.
  JComponent = Object.getPrototypeOf(req('j-component/src/render/component.js'));
  const SelectorQuery = req('j-component/src/tool/selectorquery.js');
  const exec = SelectorQuery.prototype.exec;
  SelectorQuery.prototype.exec = function (this: any, cb?: (res: unknown[]) => void) {
    const queue = [...this._queue];
    return exec.call(this, (res: any[]) => {
      queue.forEach((item: any, i: number) => {
        if (!item.fields?.node || !item.isSelectSingle || !res[i] || !item.exparserNode) return;
        const el = item.exparserNode.shadowRoot.querySelector(item.selector);
        if (!el) return;
        let canvas = canvases.get(el);
        const cssHeight = Number(/height:\s*([\d.]+)px/.exec(el.$$.getAttribute('style') ?? '')?.[1] ?? 150);
        if (!canvas) canvases.set(el, (canvas = recordingCanvas(cssHeight)));
        canvas.cssHeight = cssHeight;
        Object.assign(res[i], { node: canvas.node, width: CANVAS_WIDTH, height: cssHeight, left: 0, top: 0 });
      });
      cb?.(res);
    });
  };
}

export interface PageView {
  /** The page as rendered from its data now. */
  readonly comp: Rendered;
  simulate: Simulate;
  /** What the user reads (all text, whitespace collapsed). */
  text(): string;
  /** The first element matching `selector`, or undefined. */
  find(selector: string, within?: Rendered): Rendered | undefined;
  /** Taps the first element matching `selector` (after checking it is there). */
  tap(selector: string, within?: Rendered): void;
  /** Fires a component event (`input`, `confirm`…) with `detail` on `selector`. */
  fire(selector: string, event: string, detail: unknown): void;
  /** The recorded canvas of the chart component matching `chartSelector`, once it has drawn. */
  canvas(chartSelector: string): Canvas | undefined;
}

/** Text with runs of whitespace collapsed, as a user would read it. */
const read = (c: Rendered) => (c.dom.textContent ?? '').replace(/\s+/g, ' ').trim();

/**
 * Renders `route`'s template for `page`; after each `setData` of the page the next look renders it
 * again from the page's data. (Not simulate's incremental diff: it keeps stale tap listeners on
 * buttons that shift when a `wx:if` sibling appears, so one tap would call two handlers.)
 */
export async function mountPage(pkgDir: string, route: string, page: PageInstance): Promise<PageView> {
  const simulate = await loadSimulate();
  patchSelectorQuery();
  const template = fs.readFileSync(path.join(SRC, `${route}.wxml`), 'utf8');
  const json = JSON.parse(fs.readFileSync(path.join(SRC, `${route}.json`), 'utf8')) as { usingComponents?: Record<string, string> };
  const usingComponents = Object.fromEntries(
    Object.entries(json.usingComponents ?? {}).map(([name, p]) => [name, simulate.load(path.join(pkgDir, p), name, { rootPath: pkgDir })]),
  );
  // Each handler runs as the page's own method (`this` is the page instance, as on a phone).
  const methods: Record<string, (e: unknown) => unknown> = {};
  for (const [k, v] of Object.entries(page)) if (typeof v === 'function' && /^on[A-Z]/.test(k)) methods[k] = (e) => page[k](e);

  let shown: Rendered | null = null;
  const current = (): Rendered => {
    if (!shown) {
      // A definition per render: its `data` is the page's now (render-time properties would not be).
      shown = simulate.render(simulate.load({ template, data: JSON.parse(JSON.stringify(page.data)), methods, usingComponents }));
      shown.attach(document.createElement('parent-wrapper'));
    }
    return shown;
  };
  const pageSetData = page.setData.bind(page);
  page.setData = (patch: Record<string, unknown>) => {
    pageSetData(patch);
    if (shown) shown.detach();
    shown = null;
  };
  current();

  // Custom components are exparser elements named by a simulate id, which selectors cannot name:
  // a selector ending in a component's tag (`#w-sales chart`) is resolved by walking the tree.
  const find = (selector: string, within?: Rendered): Rendered | undefined => {
    const scope = within ?? current();
    const parts = selector.trim().split(/\s+/);
    const tag = parts.at(-1)!;
    if (!(tag in usingComponents)) return scope.querySelector(selector) ?? undefined;
    const outer = parts.length > 1 ? find(parts.slice(0, -1).join(' '), within) : scope;
    if (!outer) return undefined;
    const start = (outer as unknown as { _exparserNode: ExparserNode })._exparserNode;
    const hit = firstComponent(outer === scope ? (start.shadowRoot ?? start) : start, tag);
    return hit ? (hit.__componentNode__ ?? new JComponent(hit)) : undefined;
  };
  const must = (selector: string, within?: Rendered) => {
    const el = find(selector, within);
    if (!el) throw new Error(`${route}: nothing matches ${selector}; the page shows: ${read(within ?? current())}`);
    return el;
  };
  return {
    get comp() {
      return current();
    },
    simulate,
    text: () => read(current()),
    find,
    tap: (selector, within) => must(selector, within).dispatchEvent('tap'),
    fire: (selector, event, detail) => must(selector).dispatchEvent(event, { detail }),
    canvas(chartSelector) {
      const c = must(chartSelector).querySelector('#c');
      return c ? canvases.get((c as unknown as { _exparserNode: object })._exparserNode) : undefined;
    },
  };
}

const NOT_DATA = new Set(['true', 'false', 'null', 'undefined', 'item', 'index']);

/**
 * Names a template binds at its top level (`{{error}}`, `{{item.x}}` aside) that the page's data
 * lacks: on a phone they render as nothing, silently. `data` is the page's after it has loaded.
 */
export function unboundNames(route: string, data: Record<string, unknown>): string[] {
  const wxml = fs.readFileSync(path.join(SRC, `${route}.wxml`), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const loopNames = new Set([...wxml.matchAll(/wx:for-(?:item|index)="(\w+)"/g)].map((m) => m[1]!));
  const missing = new Set<string>();
  for (const [, expr] of wxml.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const code = expr!.replace(/'[^']*'|"[^"]*"/g, "''");
    for (const [, name] of code.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)/g)) {
      if (!NOT_DATA.has(name!) && !loopNames.has(name!) && !(name! in data)) missing.add(name!);
    }
  }
  return [...missing];
}
