import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

// proxy-addr (Fastify's trustProxy) also knows these names for the usual private ranges.
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** An IP address, a CIDR range such as 10.0.0.0/8, or one of the named ranges. */
function isProxyAddress(v: string): boolean {
  if (NAMED_RANGES.includes(v)) return true;
  const [addr = '', prefix, ...rest] = v.split('/');
  const version = isIP(addr);
  if (!version || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function isTimeZone(v: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}

/** host:port with an IPv4 address, a host name or a bracketed IPv6 address; null when malformed. */
export function parseListenAddress(v: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(v.trim());
  if (!m) return null;
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port < 1 || port > 65535 || (m[1] !== undefined && isIP(host) !== 6)) return null;
  return { host, port };
}

/**
 * The only reader of process.env. Every variable is documented here and in .env.example.
 * A bad value stops the start with a message naming the variable.
 */
const EnvSchema = z.object({
  /** HTTP port. */
  SHULAN_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  /** Address to bind; 0.0.0.0 so a reverse proxy on another host can reach it. */
  SHULAN_HOST: z.string().default('0.0.0.0'),
  /** Folder for the embedded databases, the generated secret key and uploads. */
  SHULAN_DATA_DIR: z.string().min(1).default('./data'),
  /** Unset: embedded SQLite in the data dir. postgres://… : PostgreSQL. */
  SHULAN_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// (leave unset for the embedded SQLite)')
    .optional(),
  /** 32-byte key (hex or base64) encrypting secrets at rest; generated into the data dir when unset. */
  SHULAN_SECRET_KEY: z.string().min(32).optional(),
  /** Password of the first admin; unset = a random one printed once at first start. */
  SHULAN_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Set to 1 when served over HTTPS (directly or behind a proxy) so cookies are marked Secure. */
  SHULAN_SECURE_COOKIES: z.enum(['0', '1']).default('0'),
  /** pino level. */
  SHULAN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Create the sample dataset and report on first start. */
  SHULAN_SAMPLE_CONTENT: z.enum(['0', '1']).default('1'),
  /**
   * Reverse proxies whose X-Forwarded-For / -Proto / -Host are believed (comma-separated addresses,
   * CIDRs or loopback/linklocal/uniquelocal). Empty: nobody's, so a client cannot pick its own IP.
   */
  SHULAN_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
    .superRefine((list, ctx) => {
      for (const p of list) {
        if (!isProxyAddress(p)) {
          ctx.addIssue({ code: 'custom', message: `"${p}" is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or loopback/linklocal/uniquelocal` });
        }
      }
    }),
  /**
   * host:port of a second listener that serves only the mini program, behind the Referer gate
   * (publicGate/policy.ts): for deployments where a TLS terminator other than our nginx template
   * faces the internet. Unset: no such listener.
   */
  SHULAN_PUBLIC_LISTEN: z
    .string()
    .transform((v, ctx) => {
      const address = parseListenAddress(v);
      if (!address) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not host:port, e.g. 0.0.0.0:8443 or [::]:8443` });
        return z.NEVER;
      }
      return address;
    })
    .optional(),
  /**
   * Several instances (docs/scale.md): redis://… shared by all of them for rate limits, live
   * events, the WeCom token and short locks. Unset: one instance, everything in process.
   */
  SHULAN_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss:// (leave unset for a single instance)')
    .optional(),
  /**
   * Several instances: a folder every instance mounts (NFS, an object-store mount) where each
   * upload is written once as an immutable Parquet file that the other instances load. Unset:
   * uploads live only in this instance's DuckDB file.
   */
  SHULAN_SHARED_DIR: z.string().min(1).optional(),
  /**
   * Time zone (IANA name) in which relative date filters (本月, 近 7 天…) are resolved, so the
   * web, the mini program and report cards mean the same days.
   */
  SHULAN_TIME_ZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine(isTimeZone, { error: (iss) => `"${String(iss.input)}" is not a time zone name such as Asia/Shanghai` }),
  /** WeCom server API base URL; point it at the WeCom simulator for trials and tests. */
  WECOM_API_BASE: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://qyapi.weixin.qq.com' })
    .default('https://qyapi.weixin.qq.com'),
  /** WeCom's OAuth2 page host (H5 entry); the simulator in trials and tests. */
  WECOM_OAUTH_BASE: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://open.weixin.qq.com' })
    .default('https://open.weixin.qq.com'),
  /** WeCom's Web login (QR scan) page host; the simulator in trials and tests. */
  WECOM_LOGIN_BASE: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://login.work.weixin.qq.com' })
    .default('https://login.work.weixin.qq.com'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  secretKey: string | null;
  adminPassword: string | null;
  secureCookies: boolean;
  /** Proxies trusted for X-Forwarded-* (Fastify's trustProxy); empty trusts none. */
  trustedProxies: string[];
  /** SHULAN_PUBLIC_LISTEN: the mini-program-only listener, or null. */
  publicListen: { host: string; port: number } | null;
  logLevel: z.infer<typeof EnvSchema>['SHULAN_LOG_LEVEL'];
  sampleContent: boolean;
  /** WeCom server API base URL, without a trailing slash. */
  wecomApiBase: string;
  /** SHULAN_REDIS_URL, or null for a single instance. */
  redisUrl?: string | null;
  /** SHULAN_SHARED_DIR as an absolute path, or null for a single instance. */
  sharedDir?: string | null;
  /** SHULAN_TIME_ZONE: where relative date filters are resolved. */
  timeZone: string;
  /** WeCom's OAuth2 and Web-login page hosts, without a trailing slash. */
  wecomOauthBase: string;
  wecomLoginBase: string;
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // npm runs workspace scripts inside server/; a relative path means relative to where the user ran npm.
  const dataDir = path.resolve(env.INIT_CWD ?? process.cwd(), e.SHULAN_DATA_DIR);
  return {
    port: e.SHULAN_PORT,
    host: e.SHULAN_HOST,
    dataDir,
    database: e.SHULAN_DATABASE_URL
      ? { kind: 'postgres', url: e.SHULAN_DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'shulan.sqlite') },
    secretKey: e.SHULAN_SECRET_KEY ?? null,
    adminPassword: e.SHULAN_ADMIN_PASSWORD ?? null,
    secureCookies: e.SHULAN_SECURE_COOKIES === '1',
    trustedProxies: e.SHULAN_TRUSTED_PROXIES,
    publicListen: e.SHULAN_PUBLIC_LISTEN ?? null,
    logLevel: e.SHULAN_LOG_LEVEL,
    sampleContent: e.SHULAN_SAMPLE_CONTENT === '1',
    wecomApiBase: e.WECOM_API_BASE.replace(/\/+$/, ''),
    redisUrl: e.SHULAN_REDIS_URL ?? null,
    sharedDir: e.SHULAN_SHARED_DIR ? path.resolve(env.INIT_CWD ?? process.cwd(), e.SHULAN_SHARED_DIR) : null,
    timeZone: e.SHULAN_TIME_ZONE,
    wecomOauthBase: e.WECOM_OAUTH_BASE.replace(/\/+$/, ''),
    wecomLoginBase: e.WECOM_LOGIN_BASE.replace(/\/+$/, ''),
  };
}
