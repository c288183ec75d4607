import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface RedisProcess {
  url: string;
  port: number;
  /** Stops it (SIGKILL: an outage, not a shutdown); start() brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * A redis-server of the test's own, on a free loopback port, keeping nothing on disk. Tests stop
 * and restart this one to show a Redis outage; the machine's shared Redis is never touched.
 */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    child = c;
    let exited = false;
    c.once('exit', () => (exited = true));
    while (!(await answers(port))) {
      if (exited) throw new Error(`redis-server did not start on port ${port} (is it installed? apt-get install redis-server)`);
      await new Promise((r) => setTimeout(r, 20)); // polling for the port, not timing anything
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    },
  };
}
