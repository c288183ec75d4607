import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

const bin = new URL('../bin/shulan-wecom-sim.mjs', import.meta.url).pathname;

/** Starts the CLI on a free port and resolves with everything it printed once the URL shows up. */
async function runCli(args: string[]): Promise<{ out: string; url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [bin, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1] && out.includes('/__sim/login-code')) {
        resolve(m[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return {
    out,
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

describe('shulan-wecom-sim CLI', () => {
  it('starts with the sample corp, prints the apps and answers gettoken', async () => {
    const cli = await runCli([]);
    try {
      const corpid = /corpid (ww[0-9a-f]{16})/.exec(cli.out)?.[1];
      const secret = /\[miniprogram\] agentid 1000002 appid wx[0-9a-f]{16} secret (\S+)/.exec(cli.out)?.[1];
      expect(corpid).toBeDefined();
      expect(secret).toBeDefined();
      const r = await fetch(`${cli.url}/cgi-bin/gettoken?corpid=${corpid}&corpsecret=${encodeURIComponent(secret!)}`);
      expect(await r.json()).toMatchObject({ errcode: 0, expires_in: 7200 });
    } finally {
      await cli.stop();
    }
  });

  it('generates a corp with --generate', async () => {
    const cli = await runCli(['--generate', '2000', '--seed', '5']);
    try {
      expect(cli.out).toMatch(/2000 members/);
    } finally {
      await cli.stop();
    }
  });

  it('takes --latency <ms>±<jitter> and says so', async () => {
    const cli = await runCli(['--latency', '25±5']);
    try {
      expect(cli.out).toContain('latency: 25 ms ± 5 per WeCom call');
    } finally {
      await cli.stop();
    }
  });
});
