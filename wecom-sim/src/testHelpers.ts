// Helpers shared by the simulator's tests (not part of the public API).
import type { CorpFixture } from './corp.js';
import { generateCorp } from './generate.js';
import { startSimulator, type Simulator, type SimulatorOptions } from './index.js';

export interface WecomAnswer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { errcode?: number; errmsg?: string };
  text: string;
}

/** A small, fully known corp for contract tests. */
export function smallCorp(): CorpFixture {
  return generateCorp({ members: 60, departments: 10, seed: 42 });
}

export async function start(fixture: CorpFixture = smallCorp(), opts: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  return startSimulator({ corp: fixture, ...opts });
}

export async function call(sim: Simulator, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<WecomAnswer> {
  const res = await fetch(`${sim.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let json: WecomAnswer['json'] = {};
  try {
    json = JSON.parse(text) as WecomAnswer['json'];
  } catch {
    // left empty: the caller asserts on text
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Secret of the first app of a kind. */
export function secretOf(sim: Simulator, kind: 'miniprogram' | 'self_built' | 'contact_sync'): string {
  const app = sim.corp.apps.find((a) => a.kind === kind);
  if (!app) {
    throw new Error(`no ${kind} app`);
  }
  return app.secret;
}

export async function tokenFor(sim: Simulator, kind: 'miniprogram' | 'self_built' | 'contact_sync'): Promise<string> {
  const r = await call(sim, `/cgi-bin/gettoken?corpid=${sim.corp.corpid}&corpsecret=${encodeURIComponent(secretOf(sim, kind))}`);
  if (r.json.errcode !== 0 || typeof r.json.access_token !== 'string') {
    throw new Error(`gettoken failed: ${r.text}`);
  }
  return r.json.access_token;
}
