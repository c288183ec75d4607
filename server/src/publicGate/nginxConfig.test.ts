import { describe, expect, it } from 'vitest';
import { NginxConfigError, generateNginxConfig, nginxLocationMatch, type NginxConfigOptions } from './nginxConfig.js';
import { MINI_PROGRAM_ROUTES, VERIFICATION_FILE_PATH, miniProgramRefererPattern } from './policy.js';

const BASE: NginxConfigOptions = {
  domain: 'bi.example.com',
  appId: 'wx0123456789abcdef',
  cert: '/etc/letsencrypt/live/bi.example.com/fullchain.pem',
  key: '/etc/letsencrypt/live/bi.example.com/privkey.pem',
  upstream: '127.0.0.1:8080',
};

/** The text of each top-level `server { … }` block, in order. */
function serverBlocks(conf: string): string[] {
  const blocks: string[] = [];
  for (const m of conf.matchAll(/^server \{$/gm)) {
    let depth = 0;
    for (let i = m.index; i < conf.length; i++) {
      if (conf[i] === '{') depth++;
      if (conf[i] === '}' && --depth === 0) {
        blocks.push(conf.slice(m.index, i + 1));
        break;
      }
    }
  }
  return blocks;
}

/** `location` headers with the directives of each block (blocks hold no nested braces but `if`/`limit_except` one-liners). */
function locations(server: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of server.matchAll(/^ {4}location (.+?) \{\n([\s\S]*?)^ {4}\}$/gm)) out.set(m[1]!, m[2]!);
  return out;
}

describe('shulan deploy nginx', () => {
  it('proxies every route of the policy, with its methods and the Referer check, and nothing else', () => {
    const [publicServer] = serverBlocks(generateNginxConfig(BASE));
    const locs = locations(publicServer!);
    const expected = new Set([
      '@shulan_forbidden',
      `~ "${VERIFICATION_FILE_PATH.source}"`,
      '/',
      '= /api/wecom/callback',
      ...MINI_PROGRAM_ROUTES.map((r) => nginxLocationMatch(r.url)),
    ]);
    expect([...locs.keys()].sort()).toEqual([...expected].sort());

    for (const r of MINI_PROGRAM_ROUTES) {
      const body = locs.get(nginxLocationMatch(r.url))!;
      expect(body, r.url).toContain('if ($shulan_from_mini_program = 0) { return 403; }');
      // One location per pattern admits every method the policy lists for it (PUT and DELETE of a star).
      const methods = MINI_PROGRAM_ROUTES.filter((x) => x.url === r.url).map((x) => x.method);
      expect(body, r.url).toContain(`limit_except ${methods.join(' ')} { deny all; }`);
      expect(body, r.url).toContain('proxy_pass http://127.0.0.1:8080;');
      expect(body.includes('proxy_read_timeout 1h;'), r.url).toBe(r.socket === true);
    }
    expect(locs.get('/')).toMatch(/^\s*return 403;\s*$/);
    // WeCom's callback: no Referer check, GET and POST only.
    expect(locs.get('= /api/wecom/callback')).not.toContain('$shulan_from_mini_program');
    expect(locs.get('= /api/wecom/callback')).toContain('limit_except GET POST { deny all; }');
    // Only the verification files, the callback and the policy's routes reach Shulan.
    expect(publicServer!.match(/proxy_pass/g)).toHaveLength(2 + new Set(MINI_PROGRAM_ROUTES.map((r) => r.url)).size);
  });

  it('turns each route pattern into a location that matches its paths only', () => {
    const match = (url: string, p: string) => {
      const loc = nginxLocationMatch(url);
      return loc.startsWith('= ') ? loc.slice(2) === p : new RegExp(loc.slice(3, -1)).test(p);
    };
    expect(match('/api/reports/:reportId', '/api/reports/r1')).toBe(true);
    expect(match('/api/reports/:reportId', '/api/reports/r1/grants')).toBe(false);
    expect(match('/api/reports/:reportId', '/api/reports/')).toBe(false);
    expect(match('/api/reports/:reportId/widgets/:widgetId/data', '/api/reports/r1/widgets/w1/data')).toBe(true);
    expect(match('/api/reports/:reportId/widgets/:widgetId/data', '/api/reports/r1/widgets/w1/export.csv')).toBe(false);
    expect(match('/api/site', '/api/site')).toBe(true);
    expect(match('/api/site', '/api/site/')).toBe(false);
  });

  it('takes the Referer rule of the policy, TLS 1.2+ with HTTP/2 and HSTS', () => {
    const conf = generateNginxConfig(BASE);
    expect(conf).toContain(`"~${miniProgramRefererPattern(BASE.appId)}" 1;`);
    expect(conf).toContain('ssl_protocols TLSv1.2 TLSv1.3;');
    expect(conf).toContain(`ssl_certificate ${BASE.cert};`);
    expect(conf).toContain(`ssl_certificate_key ${BASE.key};`);
    expect(conf).toMatch(/add_header Strict-Transport-Security "max-age=\d+" always;/);
    expect(conf).not.toMatch(/\{\{|\}\}/);
  });

  it('listens on 443 with TLS, on 80 only to redirect, on the intranet only when asked', () => {
    const listens = (o: Partial<NginxConfigOptions>) =>
      serverBlocks(generateNginxConfig({ ...BASE, ...o })).map((b) => [...b.matchAll(/^\s*listen (.+);$/gm)].map((m) => m[1]));
    expect(listens({})).toEqual([['443 ssl http2'], ['80']]);
    expect(listens({ httpRedirect: false })).toEqual([['443 ssl http2']]);
    expect(listens({ intranetListen: '10.0.0.5:80' })).toEqual([['443 ssl http2'], ['80'], ['10.0.0.5:80']]);

    const [, redirect] = serverBlocks(generateNginxConfig(BASE));
    expect(redirect).toContain('return 301 https://bi.example.com$request_uri;');
    expect(redirect).not.toContain('proxy_pass');
    const [, onPort] = serverBlocks(generateNginxConfig({ ...BASE, httpsListen: '127.0.0.1:8443' }));
    expect(onPort).toContain('return 301 https://bi.example.com:8443$request_uri;');
  });

  it('accepts an https URL as the domain and refuses what nginx or WeChat would not take', () => {
    expect(generateNginxConfig({ ...BASE, domain: 'https://BI.Example.com/' })).toContain('server_name bi.example.com;');
    const bad: [Partial<NginxConfigOptions>, RegExp][] = [
      [{ domain: '203.0.113.7' }, /IP/],
      [{ domain: 'bi.example.com; include /etc/passwd' }, /--domain/],
      [{ domain: 'https://bi.example.com/path' }, /--domain/],
      [{ domain: 'localhost' }, /--domain/],
      [{ appId: 'wx123' }, /--appid/],
      [{ cert: 'fullchain.pem' }, /--cert/],
      [{ key: '/etc/ssl/my key.pem' }, /--key/],
      [{ cert: '/etc/ssl/a.pem;include /x' }, /--cert/],
      [{ upstream: 'localhost' }, /--upstream/],
      [{ upstream: '127.0.0.1:8080; }' }, /--upstream/],
      [{ httpsListen: '443 default_server' }, /--listen/],
      [{ intranetListen: '10.0.0.5:80 ssl' }, /--intranet-listen/],
    ];
    for (const [o, re] of bad) {
      expect(() => generateNginxConfig({ ...BASE, ...o }), JSON.stringify(o)).toThrow(NginxConfigError);
      expect(() => generateNginxConfig({ ...BASE, ...o }), JSON.stringify(o)).toThrow(re);
    }
  });
});
