import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

/**
 * Runs the mini program's TypeScript pages in Node: `App()`/`Page()` capture their options and
 * an instance gets `data` and a `setData` that understands WeChat's paths (`widgets[0].loading`).
 */
type Opts = Record<string, unknown> & { data?: Record<string, unknown> };

export interface PageInstance {
  data: Record<string, any>;
  setData(patch: Record<string, unknown>): void;
  [method: string]: any;
}

function setPath(target: Record<string, any>, path: string, value: unknown): void {
  const parts = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let cur: any = target;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === undefined || cur[p] === null) cur[p] = /^\d+$/.test(p) ? [] : {};
    cur = cur[p];
  }
  cur[parts[parts.length - 1]!] = value;
}

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** WeChat refuses a single setData whose data, as JSON, is over 1024 KB. */
export const MAX_SET_DATA_BYTES = 1024 * 1024;

/** The largest setData so far (bytes of its JSON), for tests that keep well below the limit. */
export const setDataStats = { maxBytes: 0 };

export class MiniApp {
  private pages = new Map<string, Opts>();
  private captured: Opts | null = null;

  /** A fresh launch: new module instances, App() onLaunch run, with this `wx`. */
  static async launch(wx: Record<string, unknown>): Promise<MiniApp> {
    const app = new MiniApp();
    vi.resetModules();
    const g = globalThis as any;
    g.wx = wx;
    // Page and App only: Component stays miniprogram-simulate's, which renders the components.
    g.Page = (o: Opts) => (app.captured = o);
    g.App = (o: Opts) => (app.captured = o);
    // By file path, as pages are: the e2e project typechecks this harness (NodeNext, no wx typings)
    // and must not follow an import into the mini program's sources.
    await import(/* @vite-ignore */ fileURLToPath(new URL('../src/app.ts', import.meta.url)));
    const appOpts = app.captured as any;
    appOpts?.onLaunch?.();
    return app;
  }

  async open(route: string, query: Record<string, string> = {}): Promise<PageInstance> {
    const { page, loaded } = await this.start(route, query);
    await loaded;
    return page;
  }

  /** The page with its onLoad still running (e.g. to leave it before it has loaded). */
  async start(route: string, query: Record<string, string> = {}): Promise<{ page: PageInstance; loaded: Promise<void> }> {
    const inst = await this.instance(route);
    return { page: inst, loaded: Promise.resolve(inst.onLoad?.(query)) };
  }

  /** A new instance of the page, its onLoad not yet called (e.g. to render it before it loads). */
  async instance(route: string): Promise<PageInstance> {
    let opts = this.pages.get(route);
    if (!opts) {
      this.captured = null;
      await import(/* @vite-ignore */ fileURLToPath(new URL(`../src/${route}.ts`, import.meta.url)));
      if (!this.captured) throw new Error(`${route} did not call Page()`);
      opts = this.captured;
      this.pages.set(route, opts);
    }
    return instantiate(opts);
  }
}

/** A page instance from the options given to Page(): its own data copy and a WeChat-like setData. */
export function instantiate(opts: Opts): PageInstance {
  const inst: PageInstance = {
    data: clone(opts.data ?? {}),
    setData(patch) {
      const bytes = Buffer.byteLength(JSON.stringify(patch));
      setDataStats.maxBytes = Math.max(setDataStats.maxBytes, bytes);
      if (bytes > MAX_SET_DATA_BYTES) throw new Error(`setData of ${bytes} bytes: WeChat allows at most ${MAX_SET_DATA_BYTES}`);
      for (const [k, v] of Object.entries(patch)) setPath(inst.data, k, clone(v));
    },
  };
  for (const [k, v] of Object.entries(opts)) if (k !== 'data') inst[k] = typeof v === 'function' ? v : clone(v);
  return inst;
}

/** "pages/report/index?id=1&x=2" → route and query. */
export function parseUrl(url: string): { route: string; query: Record<string, string> } {
  const [path, qs] = url.replace(/^\//, '').split('?');
  return { route: path!, query: Object.fromEntries(new URLSearchParams(qs ?? '')) };
}
