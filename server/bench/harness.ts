import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';

/** A bare Fastify handler: the in-run baseline every figure is divided by. */
export async function startBareServer(): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ data: { hello: 'world' } }));
  app.post('/bare', async () => ({ data: { ok: true } }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

export interface Throughput {
  rps: number;
  p50: number;
  p99: number;
}

/** Requests per second with autocannon for `seconds`, over `connections` connections. */
export async function throughput(opts: autocannon.Options): Promise<Throughput> {
  const r = await autocannon({ duration: 5, connections: 20, ...opts });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`bench target answered ${r.non2xx} non-2xx and ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

/** Median wall time in ms of `runs` sequential calls of fn. */
export async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function printRow(name: string, value: string, ratio: string): void {
  console.log(`${name.padEnd(44)} ${value.padStart(16)}   ${ratio}`);
}
