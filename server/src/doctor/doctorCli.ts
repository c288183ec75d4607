import fs from 'node:fs';
import { isIP } from 'node:net';
import { DoctorUrlSchema, type DoctorStatus } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { CHECKS } from './checks.js';
import type { DoctorOptions } from './DoctorContext.js';
import { runDoctor, type DoctorResult } from './runDoctor.js';

export interface DoctorCliOptions {
  url: string;
  ca?: string;
  released?: boolean;
  resolve?: string;
  closedPorts?: string;
  httpPort?: string;
  json?: boolean;
}

const MARK: Record<DoctorStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '–' };

/** `shulan doctor --help`: every check, in the order they run. */
export function doctorHelp(): string {
  const width = Math.max(...CHECKS.map((c) => c.id.length));
  const lines = CHECKS.map((c) => `  ${c.id.padEnd(width)}  ${c.title.zh} / ${c.title.en}`);
  return `
Checks (✓ ok, ! warning, ✗ must be fixed, – not checked because a check above failed):
${lines.join('\n')}

The last three read Shulan's database: run doctor with the same environment as the server.
Exit code: 0 when nothing is ✗, 1 otherwise.`;
}

/** Turns the command-line options into DoctorOptions; a message for the first bad one. */
export function parseDoctorOptions(o: DoctorCliOptions): DoctorOptions | string {
  const url = DoctorUrlSchema.safeParse(o.url);
  if (!url.success) return `--url: ${url.error.issues[0]?.message ?? 'invalid'}`;
  const opts: DoctorOptions = { url: url.data };
  if (o.ca) {
    let pem: Buffer;
    try {
      pem = fs.readFileSync(o.ca);
    } catch {
      return `--ca: cannot read ${o.ca}`;
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return `--ca: ${o.ca} is not a PEM certificate`;
    opts.ca = pem;
  }
  if (o.resolve) {
    if (!isIP(o.resolve)) return `--resolve: "${o.resolve}" is not an IP address`;
    opts.resolve = o.resolve;
  }
  if (o.closedPorts !== undefined) {
    const ports = o.closedPorts.split(',').map((p) => p.trim()).filter(Boolean);
    if (!ports.every((p) => /^\d{1,5}$/.test(p) && Number(p) >= 1 && Number(p) <= 65535)) return `--closed-ports: "${o.closedPorts}" is not a list of ports such as 8080,8443`;
    opts.closedPorts = ports.map(Number);
  }
  if (o.httpPort !== undefined) {
    if (!/^\d{1,5}$/.test(o.httpPort) || Number(o.httpPort) < 1 || Number(o.httpPort) > 65535) return `--http-port: "${o.httpPort}" is not a port`;
    opts.httpPort = Number(o.httpPort);
  }
  if (o.released) opts.released = true;
  return opts;
}

/** Runs the checks and prints them; returns the exit code. */
export async function runDoctorCli(deps: Deps, opts: DoctorOptions, json: boolean): Promise<number> {
  const result = await runDoctor(deps, opts);
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result));
  return result.ok ? 0 : 1;
}

/** Each check on a line with ✓ ! ✗ –, what was found, and for ! and ✗ what to do, in Chinese and English. */
export function formatResult(r: DoctorResult): string {
  const out = [`数览上线检查 / Shulan go-live check: ${r.url}`, ''];
  for (const c of r.checks) {
    out.push(`${MARK[c.status]} ${c.title.zh} / ${c.title.en}`);
    out.push(`    ${c.detail.zh}`, `    ${c.detail.en}`);
    if (c.fix) out.push(`    → 怎么办：${c.fix.zh}`, `    → Fix: ${c.fix.en}`);
  }
  const count = (s: DoctorStatus) => r.checks.filter((c) => c.status === s).length;
  out.push('', `${count('ok')} ✓  ${count('warn')} !  ${count('fail')} ✗  ${count('skip')} –   ${r.ok ? '可以上线 / ready' : '还不能上线 / not ready'}`, '');
  return out.join('\n');
}
