import { createRequire } from 'node:module';
import path from 'node:path';
import type { PageInstance } from './pageHarness';

/**
 * Runs a BUILT code package (the CommonJS that ships, e.g. from buildMiniprogram or the admin's
 * zip) in Node, like pageHarness does for the TypeScript sources: App()/Page() captured, an
 * instance with `data` and a path-aware `setData`.
 */
type Opts = Record<string, unknown> & { data?: Record<string, unknown> };

function setPath(target: Record<string, any>, p: string, value: unknown): void {
  const parts = p.replace(/\[(\d+)\]/g, '.$1').split('.');
  let cur: any = target;
  for (const k of parts.slice(0, -1)) {
    if (cur[k] === undefined || cur[k] === null) cur[k] = /^\d+$/.test(k) ? [] : {};
    cur = cur[k];
  }
  cur[parts[parts.length - 1]!] = value;
}
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export class BuiltApp {
  private captured: Opts | null = null;
  private readonly require: NodeJS.Require;

  private constructor(readonly pkgDir: string) {
    this.require = createRequire(path.join(pkgDir, 'app.js'));
  }

  /** A fresh launch of the package in `pkgDir` (the folder holding app.json). */
  static launch(pkgDir: string, wx: Record<string, unknown>): BuiltApp {
    const app = new BuiltApp(pkgDir);
    // New module instances per launch, as on a phone.
    for (const k of Object.keys(app.require.cache)) if (k.startsWith(pkgDir)) delete app.require.cache[k];
    const g = globalThis as any;
    g.wx = wx;
    // Page and App only: Component stays miniprogram-simulate's, which renders the components.
    g.Page = g.App = (o: Opts) => (app.captured = o);
    app.require('./app.js');
    (app.captured as any)?.onLaunch?.();
    return app;
  }

  /** The first page of app.json: where WeChat starts. */
  firstPage(): string {
    return (this.require('./app.json') as { pages: string[] }).pages[0]!;
  }

  async open(route: string, query: Record<string, string> = {}): Promise<PageInstance> {
    this.captured = null;
    const file = path.join(this.pkgDir, `${route}.js`);
    delete this.require.cache[file];
    this.require(file);
    const opts = this.captured as Opts | null;
    if (!opts) throw new Error(`${route} did not call Page()`);
    const inst: PageInstance = {
      data: clone(opts.data ?? {}),
      setData(patch) {
        for (const [k, v] of Object.entries(patch)) setPath(inst.data, k, clone(v));
      },
    };
    for (const [k, v] of Object.entries(opts)) if (k !== 'data') inst[k] = typeof v === 'function' ? v : clone(v);
    await inst.onLoad?.(query);
    return inst;
  }
}
