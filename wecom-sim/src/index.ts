import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { Corp, loadCorpFile, type CorpFixture } from './corp.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerContactRoutes } from './routes/contacts.js';
import { registerControlRoutes } from './routes/controlRoutes.js';
import { registerMessageRoutes } from './routes/message.js';
import { registerWebLoginRoutes } from './routes/webLoginRoutes.js';
import { checkLatency, createControls, SimState, type Controls } from './simulator.js';

export { Corp, loadCorpFile, type CorpFixture } from './corp.js';
export type { Controls, Latency, SentMessage } from './simulator.js';
export { parseLatency } from './simulator.js';
export type { CallbackConfig, CallbackDelivery } from './callbacks.js';
export type { FaultSpec } from './faults.js';
export type { RateLimits } from './rateLimit.js';
export { generateCorp, type GenerateOptions } from './generate.js';
export { ERRMSG } from './errors.js';
export { CLIENT_USER_COOKIE } from './routes/webLoginRoutes.js';

/** The shipped sample corp: 320 members (three named 张伟), 24 departments, three apps. */
export const SAMPLE_CORP_PATH = fileURLToPath(new URL('../fixtures/sample-corp.json', import.meta.url));

export interface SimulatorOptions {
  /** A Corp, a fixture object, or a path to a fixture JSON file. */
  corp: Corp | CorpFixture | string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Clock in ms since epoch (default Date.now); `controls.advanceTime` adds to it. */
  now?: () => number;
  /** Trust X-Forwarded-For, so tests can call "from" other IPs (trusted-IP and per-IP limits). */
  trustProxy?: boolean;
  /** Round-trip delay of every WeCom API call, e.g. `{ms: 25, jitterMs: 5}` (default none). */
  latency?: { ms: number; jitterMs?: number };
}

export interface Simulator {
  /** Base URL to use as WECOM_API_BASE, e.g. http://127.0.0.1:9100 (no trailing slash). */
  url: string;
  /** The live corp model (changes through `controls` show up in the next API calls). */
  corp: Corp;
  controls: Controls;
  close(): Promise<void>;
}

/** Starts a WeCom server API simulator on a real HTTP port. */
export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const corp = opts.corp instanceof Corp ? opts.corp : typeof opts.corp === 'string' ? loadCorpFile(opts.corp) : Corp.fromFixture(opts.corp);
  const state = new SimState(corp, opts.now ?? Date.now);
  if (opts.latency) {
    state.latency = checkLatency(opts.latency);
  }
  const controls = createControls(state);

  const fastify = Fastify({ logger: false, forceCloseConnections: true, trustProxy: opts.trustProxy ?? false, bodyLimit: 10 * 1024 * 1024 });
  // WeCom reads bodies as JSON whatever the content type; we parse in the routes to answer 47001.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, payload, done) => done(null, payload));

  registerAuthRoutes(fastify, state);
  registerContactRoutes(fastify, state);
  registerMessageRoutes(fastify, state);
  registerWebLoginRoutes(fastify, state);
  registerControlRoutes(fastify, state, controls);

  const host = opts.host ?? '127.0.0.1';
  await fastify.listen({ port: opts.port ?? 0, host });
  const addr = fastify.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : opts.port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;

  return {
    url: `http://${urlHost}:${port}`,
    corp,
    controls,
    async close() {
      for (const release of state.held) {
        release();
      }
      state.held.clear();
      await fastify.close();
    },
  };
}
