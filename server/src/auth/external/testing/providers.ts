// Real identity providers for the tests: a slapd on its own port and an oidc-provider, both on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ldapts';

export const LDAP_BASE = 'dc=shulan,dc=test';
export const LDAP_ADMIN = `cn=admin,${LDAP_BASE}`;
export const LDAP_ADMIN_PASSWORD = 'ldap-admin-secret';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface LdapPerson {
  uid: string;
  cn: string;
  password: string;
  groups: string[];
}

export interface Slapd {
  url: string;
  stop(): Promise<void>;
}

/**
 * Debian's slapd with a throwaway slapd.conf (mdb backend) in a temp dir, people under ou=people
 * and groupOfNames under ou=groups. Waits until it answers a bind.
 */
export async function startSlapd(people: LdapPerson[]): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shulan-slapd-'));
  fs.mkdirSync(path.join(dir, 'db'));
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(
    conf,
    [
      ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
      `pidfile ${dir}/slapd.pid`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'database mdb',
      'maxsize 10485760',
      `suffix "${LDAP_BASE}"`,
      `rootdn "${LDAP_ADMIN}"`,
      `rootpw ${LDAP_ADMIN_PASSWORD}`,
      `directory ${dir}/db`,
      // People may bind with their password; nobody reads passwords back.
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by * read',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // -d keeps slapd in the foreground (no fork), so the test owns the process and stops it.
  const proc: ChildProcess = spawn('/usr/sbin/slapd', ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const admin = new Client({ url, connectTimeout: 1000 });
  for (let i = 0; ; i++) {
    try {
      await admin.bind(LDAP_ADMIN, LDAP_ADMIN_PASSWORD);
      break;
    } catch (e) {
      if (proc.exitCode !== null || i > 100) {
        await stop();
        throw new Error(`slapd did not start: ${e instanceof Error ? e.message : String(e)}\n${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    await admin.add(LDAP_BASE, { objectClass: ['dcObject', 'organization'], dc: 'shulan', o: 'Shulan Test' });
    await admin.add(`ou=people,${LDAP_BASE}`, { objectClass: 'organizationalUnit', ou: 'people' });
    await admin.add(`ou=groups,${LDAP_BASE}`, { objectClass: 'organizationalUnit', ou: 'groups' });
    for (const p of people) {
      await admin.add(`uid=${p.uid},ou=people,${LDAP_BASE}`, { objectClass: 'inetOrgPerson', uid: p.uid, cn: p.cn, sn: p.cn, userPassword: p.password });
    }
    const groups = [...new Set(people.flatMap((p) => p.groups))];
    for (const g of groups) {
      const members = people.filter((p) => p.groups.includes(g)).map((p) => `uid=${p.uid},ou=people,${LDAP_BASE}`);
      await admin.add(`cn=${g},ou=groups,${LDAP_BASE}`, { objectClass: 'groupOfNames', cn: g, member: members });
    }
  } finally {
    await admin.unbind().catch(() => {});
  }
  return { url, stop };
}

export interface OidcUser {
  sub: string;
  preferred_username: string;
  name: string;
  groups: string[];
}

export interface OidcProviderHandle {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

/**
 * oidc-provider (the certified OpenID Provider for Node) on a free port, with its development login
 * and consent pages: the login name typed there is the `sub` of one of `users`.
 */
export async function startOidcProvider(redirectUris: string[], users: OidcUser[]): Promise<OidcProviderHandle> {
  // oidc-provider ships no types (the community ones lag its releases): a few calls, typed here.
  const name = 'oidc-provider';
  const { default: Provider } = (await import(name)) as { default: new (issuer: string, config: object) => { listen(port: number, host: string): import('node:http').Server; on(e: string, f: (ctx: unknown, err: unknown) => void): void } };
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'shulan';
  const clientSecret = 'shulan-oidc-client-secret-0123456789';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'groups'],
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    async findAccount(_ctx: unknown, sub: string) {
      const u = users.find((x) => x.sub === sub);
      if (!u) return undefined;
      return { accountId: sub, claims: () => ({ ...u }) };
    },
  });
  // The development pages warn on every request; the tests do not need to see that.
  provider.on('server_error', (_c, err) => { if (process.env.OIDC_DEBUG) console.error(err); });
  const server = provider.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
