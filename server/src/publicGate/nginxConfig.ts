import fs from 'node:fs';
import path from 'node:path';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WECOM_CALLBACK_PATH, WecomAppIdSchema } from '@shulan/shared';
import { parseListenAddress } from '../config.js';
import { FORBIDDEN_PAGE, MINI_PROGRAM_ROUTES, VERIFICATION_FILE_PATH, WECOM_CALLBACK_METHODS, miniProgramRefererPattern } from './policy.js';

export const NGINX_TEMPLATE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../deploy/nginx/shulan.conf');

export interface NginxConfigOptions {
  /** The public domain, e.g. bi.example.com (an https:// URL is accepted and reduced to its host). */
  domain: string;
  appId: string;
  /** Full certificate chain and its key, absolute paths on the nginx host. */
  cert: string;
  key: string;
  /**
   * Where Shulan listens, host:port (e.g. 127.0.0.1:8080); several instances comma-separated
   * (10.0.0.11:8080,10.0.0.12:8080), which nginx takes turns at (round robin, docs/scale.md).
   */
  upstream: string;
  /** nginx `listen` of the TLS server; default 443. */
  httpsListen?: string;
  /** The plain-HTTP server that only redirects; default on, on port 80. */
  httpRedirect?: boolean;
  httpListen?: string;
  /** `listen` of the intranet server (web UI and full API), e.g. 10.0.0.5:80; omitted when unset. */
  intranetListen?: string | null;
}

export class NginxConfigError extends Error {}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
/** nginx reads these unquoted: no spaces, no `;{}'"\$`. */
const SAFE_PATH = /^\/[^\s;{}'"\\$#]+$/;

/** Fills in deploy/nginx/shulan.conf; throws NginxConfigError naming the bad option. */
export function generateNginxConfig(opts: NginxConfigOptions): string {
  const domain = publicHost(opts.domain);
  if (WecomAppIdSchema.safeParse(opts.appId).data !== opts.appId) {
    throw new NginxConfigError(`--appid "${opts.appId}" is not a mini program AppID (wx + 16 hex digits, 小程序后台 → 开发 → 开发设置)`);
  }
  for (const [name, value] of [['--cert', opts.cert], ['--key', opts.key]] as const) {
    if (!SAFE_PATH.test(value)) throw new NginxConfigError(`${name} must be an absolute path without spaces or ;{}'"\\$# (got "${value}")`);
  }
  const upstreams = opts.upstream.split(',').map((u) => u.trim()).filter(Boolean);
  if (upstreams.length === 0 || upstreams.some((u) => !parseListenAddress(u))) {
    throw new NginxConfigError(`--upstream must be host:port where Shulan listens, e.g. 127.0.0.1:8080, or several comma-separated (got "${opts.upstream}")`);
  }
  // Several instances: one named group; an instance that refuses connections (stopped, restarting)
  // is skipped for the next one, so a rolling restart logs nobody out and drops no request.
  const upstream = upstreams.length === 1 ? upstreams[0]! : 'shulan_instances';
  const upstreamBlock =
    upstreams.length === 1
      ? ''
      : ['# Shulan instances (docs/scale.md): taken in turn; one that is down is skipped.', `upstream ${upstream} {`, ...upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=5s;`), '}', '', ''].join('\n');
  const httpsListen = listenAddress('--listen', opts.httpsListen ?? '443');
  const httpListen = listenAddress('--http-listen', opts.httpListen ?? '80');
  const intranetListen = opts.intranetListen ? listenAddress('--intranet-listen', opts.intranetListen) : null;
  const httpsPort = Number(/(\d+)$/.exec(httpsListen)?.[1]);

  return upstreamBlock + render(fs.readFileSync(NGINX_TEMPLATE, 'utf8'), {
    values: {
      server_name: domain,
      appid: opts.appId,
      referer_regex: miniProgramRefererPattern(opts.appId),
      ssl_certificate: opts.cert,
      ssl_certificate_key: opts.key,
      upstream,
      https_listen: httpsListen,
      https_origin: httpsPort === 443 ? `https://${domain}` : `https://${domain}:${httpsPort}`,
      http_listen: httpListen,
      intranet_listen: intranetListen ?? '',
      forbidden_page: FORBIDDEN_PAGE,
      verification_file_regex: VERIFICATION_FILE_PATH.source,
      wecom_callback_path: WECOM_CALLBACK_PATH,
      wecom_callback_methods: WECOM_CALLBACK_METHODS.join(' '),
      mini_program_locations: miniProgramLocations(upstream),
    },
    sections: { http_redirect: opts.httpRedirect !== false, intranet: intranetListen !== null },
  });
}

/** One `location` per route pattern of the policy, admitting only its methods and only with the Referer. */
function miniProgramLocations(upstream: string): string {
  const byUrl = new Map<string, { methods: string[]; socket: boolean }>();
  for (const r of MINI_PROGRAM_ROUTES) {
    const entry = byUrl.get(r.url) ?? { methods: [], socket: false };
    entry.methods.push(r.method);
    entry.socket ||= r.socket === true;
    byUrl.set(r.url, entry);
  }
  return [...byUrl]
    .map(([url, { methods, socket }]) =>
      [
        `    location ${nginxLocationMatch(url)} {`,
        '        if ($shulan_from_mini_program = 0) { return 403; }',
        `        limit_except ${methods.join(' ')} { deny all; }`,
        // The live socket stays open while a report is on screen.
        ...(socket ? ['        proxy_read_timeout 1h;', '        proxy_send_timeout 1h;'] : []),
        `        proxy_pass http://${upstream};`,
        '    }',
      ].join('\n'),
    )
    .join('\n');
}

/** `= /exact/path`, or an anchored regex with one `[^/]+` per `:param` segment. */
export function nginxLocationMatch(url: string): string {
  if (!url.includes(':')) return `= ${url}`;
  const pattern = url
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return `~ "^${pattern}$"`;
}

function publicHost(input: string): string {
  let host = input.trim().toLowerCase();
  if (/^https?:\/\//.test(host)) {
    try {
      const url = new URL(host);
      if (url.port || (url.pathname !== '/' && url.pathname !== '')) throw new Error();
      host = url.hostname;
    } catch {
      throw new NginxConfigError(`--domain "${input}": give the bare name, e.g. bi.example.com`);
    }
  }
  if (isIP(host)) throw new NginxConfigError('--domain must be a domain name: WeChat does not accept IP addresses as request domains');
  if (!HOST_NAME.test(host)) throw new NginxConfigError(`--domain "${input}" is not a domain name such as bi.example.com`);
  return host;
}

/** nginx `listen` value: a port, or host:port ([v6]:port). */
function listenAddress(option: string, value: string): string {
  if (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535) return value;
  if (parseListenAddress(value)) return value;
  throw new NginxConfigError(`${option} must be a port or host:port (got "${value}")`);
}

/** `{{name}}` blanks and `{{#name}}…{{/name}}` optional sections; an unknown blank is a bug. */
function render(template: string, { values, sections }: { values: Record<string, string>; sections: Record<string, boolean> }): string {
  const withSections = template.replace(/\{\{#(\w+)\}\}\n?([\s\S]*?)\{\{\/\1\}\}\n?/g, (_, name: string, body: string) => {
    if (!(name in sections)) throw new Error(`nginx template: unknown section ${name}`);
    return sections[name] ? body : '';
  });
  return withSections.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`nginx template: unknown blank {{${name}}}`);
    return v;
  });
}
