import { JSDOM } from 'jsdom';

/**
 * A DOM for miniprogram-simulate inside a node-environment test (the ones that also run a real
 * server, which jsdom's environment would disturb). Only what Node lacks is added, plus jsdom's
 * Event classes, which the simulated taps must be instances of.
 */
export async function loadSimulate(): Promise<typeof import('miniprogram-simulate').default> {
  const g = globalThis as any;
  if (!g.document) {
    const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://localhost/' });
    g.window = dom.window;
    for (const k of Object.getOwnPropertyNames(dom.window)) {
      if (!(k in g) && k !== 'localStorage' && k !== 'sessionStorage') g[k] = (dom.window as any)[k];
    }
    for (const k of ['Event', 'CustomEvent']) g[k] = (dom.window as any)[k];
  }
  return (await import('miniprogram-simulate')).default;
}
