import dns from 'node:dns';
import https from 'node:https';
import net, { type LookupFunction } from 'node:net';
import tls from 'node:tls';
import type { Deps } from '../deps.js';

export interface DoctorOptions {
  /** The public address, e.g. https://bi.example.com (a port only for tests and odd set-ups). */
  url: string;
  /** PEM of an extra CA to trust (a private or throwaway one); Node's own store stays trusted too. */
  ca?: Buffer | null;
  /** true: the mini program is released, so the reviewer account must be gone; default from the settings. */
  released?: boolean;
  /** Connect to this address instead of asking DNS (checking a server before the record points at it). */
  resolve?: string | null;
  /** How names are resolved; the tests answer for their made-up domain. */
  lookup?: LookupFunction;
  /** Where plain HTTP is expected to redirect or be closed; 80. */
  httpPort?: number;
  /** Ports that must not answer on the domain's address. */
  closedPorts?: number[];
  /** Per connection or request. */
  timeoutMs?: number;
}

/** A few ports that must never be open on the public address, besides Shulan's own (SHULAN_PORT). */
export const DEFAULT_CLOSED_PORTS = [8080, 8443, 3306, 5432];

/** WeChat's WebView on a desktop is not what we want here: a plain desktop Chrome. */
export const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** A mini program in WeChat on a phone (wecom-api.md § 6 shows the WeCom variant). */
export const MINI_PROGRAM_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.50 MiniProgramEnv/android';

export type TlsProbe =
  | { connected: true; protocol: string; authorized: boolean; authorizationError: string | null; cert: tls.DetailedPeerCertificate }
  | { connected: false; error: string };

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * What the checks share: the parsed address, how to reach it, and the answers that several
 * checks read (the name's addresses, the TLS handshake), each fetched once.
 */
export class DoctorContext {
  readonly url: URL;
  readonly host: string;
  readonly port: number;
  readonly lookup: LookupFunction;
  readonly timeoutMs: number;
  readonly httpPort: number;
  readonly closedPorts: number[];
  private readonly ca: (string | Buffer)[] | undefined;
  private addressesMemo: Promise<string[]> | null = null;
  private tlsMemo: Promise<TlsProbe> | null = null;

  constructor(
    readonly deps: Deps,
    readonly opts: DoctorOptions,
  ) {
    this.url = new URL(opts.url);
    this.host = this.url.hostname;
    this.port = Number(this.url.port || 443);
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.httpPort = opts.httpPort ?? 80;
    this.closedPorts = opts.closedPorts ?? [...new Set([...DEFAULT_CLOSED_PORTS, deps.config.port].filter((p) => p > 0 && p !== this.port && p !== this.httpPort))];
    // With --ca the system's roots stay trusted as well; without it Node's defaults apply
    // (including NODE_EXTRA_CA_CERTS).
    this.ca = opts.ca ? [...tls.rootCertificates, opts.ca] : undefined;
    this.lookup = opts.lookup ?? (opts.resolve ? fixedLookup(opts.resolve) : dns.lookup);
  }

  /** The addresses the name resolves to (rejects when it does not). */
  addresses(): Promise<string[]> {
    this.addressesMemo ??= new Promise((resolve, reject) => {
      this.lookup(this.host, { all: true }, (err, result) => {
        if (err) return reject(err);
        const list = Array.isArray(result) ? result.map((a) => a.address) : [String(result)];
        return list.length ? resolve(list) : reject(Object.assign(new Error('no address'), { code: 'ENODATA' }));
      });
    });
    return this.addressesMemo;
  }

  /** One TLS handshake with the trust settings, the certificate kept even when it is not trusted. */
  tlsProbe(): Promise<TlsProbe> {
    this.tlsMemo ??= this.handshake({}).then(
      (s) => {
        const probe: TlsProbe = {
          connected: true,
          protocol: s.getProtocol() ?? '',
          authorized: s.authorized,
          authorizationError: s.authorized ? null : errorCode(s.authorizationError),
          cert: s.getPeerCertificate(true),
        };
        s.destroy();
        return probe;
      },
      (err: unknown) => ({ connected: false, error: errorCode(err) }),
    );
    return this.tlsMemo;
  }

  /** Where and how to connect, for the handshake and the requests alike. */
  private endpoint() {
    return {
      host: this.host,
      port: this.port,
      servername: this.host,
      lookup: this.lookup,
      ca: this.ca,
      // Trust is judged from `authorized` by its own checks, so every check still gets to look at the server.
      rejectUnauthorized: false,
    };
  }

  /** A TLS connection with extra options (protocol versions); resolves once the handshake is done. */
  handshake(extra: tls.ConnectionOptions): Promise<tls.TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        ...this.endpoint(),
        ALPNProtocols: ['http/1.1'],
        timeout: this.timeoutMs,
        ...extra,
      });
      socket.once('secureConnect', () => resolve(socket));
      socket.once('timeout', () => socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      socket.once('error', reject);
    });
  }

  /** An HTTPS request to the domain; the certificate is judged by its own checks, not here. */
  request(pathname: string, headers: Record<string, string>, method = 'GET'): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = https.request({
        ...this.endpoint(),
        method,
        path: pathname,
        headers: { host: this.url.host, ...headers },
        agent: false,
        timeout: this.timeoutMs,
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.once('error', reject);
      });
      // A 101 means the socket was upgraded: enough to know, so it is closed at once.
      req.once('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 101, headers: res.headers, body: Buffer.alloc(0) });
      });
      req.once('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.once('error', reject);
      req.end();
    });
  }

  /** Whether something accepts TCP connections on `port` of the domain's first address. */
  async portAnswers(port: number): Promise<boolean> {
    const [address] = await this.addresses();
    return new Promise((resolve) => {
      const s = net.connect({ host: address!, port, timeout: Math.min(this.timeoutMs, 3000) });
      const done = (open: boolean) => {
        s.destroy();
        resolve(open);
      };
      s.once('connect', () => done(true));
      s.once('timeout', () => done(false));
      s.once('error', () => done(false));
    });
  }
}

export function errorCode(err: unknown): string {
  if (!err) return 'unknown';
  const e = err as { code?: unknown; message?: unknown };
  return typeof e.code === 'string' ? e.code : typeof e.message === 'string' ? e.message : String(err);
}

/** A lookup that answers every name with one address (curl's --resolve). */
function fixedLookup(address: string): LookupFunction {
  const family = net.isIP(address) === 6 ? 6 : 4;
  return (_host, options, callback) => {
    if (options.all) (callback as (err: null, a: dns.LookupAddress[]) => void)(null, [{ address, family }]);
    else (callback as (err: null, a: string, f: number) => void)(null, address, family);
  };
}
