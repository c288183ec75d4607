import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'];

export interface NginxProcess {
  stop(): Promise<void>;
  errorLog(): string;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function nginxBinary(): string {
  const found = NGINX_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found) throw new Error('nginx is not installed: apt-get install nginx (.ci/run installs it); the public-gate tests need the real one');
  return found;
}

/**
 * Runs a real nginx in the foreground with everything (pid, logs, temp files) under `dir`,
 * serving `siteConf` (a generated shulan.conf) inside its http block. Resolves once every
 * port in `ports` accepts connections.
 */
export async function startNginx(dir: string, siteConf: string, ports: number[]): Promise<NginxProcess> {
  const bin = nginxBinary();
  fs.writeFileSync(path.join(dir, 'shulan.conf'), siteConf);
  const temp = (name: string) => {
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    return path.join(dir, name);
  };
  const conf = path.join(dir, 'nginx.conf');
  const errorLog = path.join(dir, 'error.log');
  fs.writeFileSync(
    conf,
    [
      // As root nginx would hand requests to `nobody`, who cannot read a 0700 temp folder.
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'daemon off;',
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${errorLog} warn;`,
      'events { worker_connections 256; }',
      'http {',
      `  access_log ${path.join(dir, 'access.log')};`,
      `  client_body_temp_path ${temp('body')};`,
      `  proxy_temp_path ${temp('proxy')};`,
      `  fastcgi_temp_path ${temp('fastcgi')};`,
      `  uwsgi_temp_path ${temp('uwsgi')};`,
      `  scgi_temp_path ${temp('scgi')};`,
      `  include ${path.join(dir, 'shulan.conf')};`,
      '}',
      '',
    ].join('\n'),
  );
  const args = ['-p', dir, '-c', conf, '-e', errorLog];
  try {
    execFileSync(bin, [...args, '-t'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(`nginx -t refused the generated configuration:\n${String((err as { stderr?: Buffer }).stderr ?? err)}`);
  }
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));

  for (const port of ports) {
    while (!(await accepts(port))) {
      if (!running) throw new Error(`nginx exited at start:\n${stderr}\n${fs.readFileSync(errorLog, 'utf8')}`);
      await new Promise((r) => setTimeout(r, 20)); // polling for the port, not timing anything
    }
  }
  return {
    async stop() {
      if (running) child.kill('SIGTERM');
      await exited;
    },
    errorLog: () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : ''),
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
