import WebSocket from 'ws';

/**
 * A `wx` global for tests: requests and sockets reach a real Shulan over HTTP/WebSocket
 * (the https domain the user types is mapped to the local test server), storage is in memory,
 * navigation is recorded, and `qy.login` asks the WeCom simulator for a real code.
 *
 * It is strict where WeChat is, because those rules are what break on real phones:
 * - https/wss only, and only the domains configured in the mini program console (`hosts`);
 * - GET `data` becomes the query string; other methods send it as a JSON body;
 * - at most 10 requests in flight (more wait in a queue, as base library ≥ 1.4 does);
 * - at most 5 sockets at once (the 6th fails);
 * - once the app has been in the background 5 s, in-flight requests fail with
 *   `request:fail interrupted`, sockets drop, and new requests fail until it is shown again.
 * Timing uses the global setTimeout, so tests drive it with vitest fake timers.
 */
export interface WxDouble {
  wx: Record<string, unknown>;
  storage: Map<string, unknown>;
  navigations: string[];
  toasts: string[];
  /** Every wx.request as sent: method + path + query. */
  requests: string[];
  /**
   * The widgets whose data was asked, one entry per widget per load, whether by the widget's own
   * data call or inside a report data call (which carries several).
   */
  widgetLoads(): string[];
  /** Every wx.request/connectSocket failure the app was given (errMsg). */
  failures: string[];
  /** Messages received by any socket. */
  socketMessages: string[];
  /** Messages sent by any socket. */
  socketSent: string[];
  /** wx.showModal calls; answered with `modalConfirm`. */
  modals: { title: string; content: string }[];
  modalConfirm: boolean;
  /** The most requests that were ever in flight at once (never above 10). */
  maxConcurrentRequests: number;
  /** Sockets connecting or open right now. */
  openSockets(): number;
  /** Socket URLs ever opened, in order. */
  socketUrls: string[];
  /** Resolves when nothing is in flight (requests, responses being handled). */
  settled(): Promise<void>;
  /** Resolves once `pred` holds (re-checked on activity); rejects after `deadlineMs` of real time. */
  waitFor(pred: () => boolean, deadlineMs?: number): Promise<void>;
  closeSockets(): void;
  /** The user switches away from WeChat / back to it (wx.onAppHide / wx.onAppShow). */
  hideApp(): void;
  showApp(): void;
  /** The phone's network changes (wx.onNetworkStatusChange); 'none' fails requests and drops sockets. */
  setNetwork(type: string): void;
  /** The route dies silently: sockets stay "open" but nothing passes either way, and no close comes. */
  stallSockets(): void;
  /** WeChat finished downloading a new version (UpdateManager.onUpdateReady). */
  updateReady(): void;
  /** How often UpdateManager.applyUpdate was called. */
  updatesApplied(): number;
}

export interface WxDoubleOptions {
  /** https origin configured as a legal domain → the local http server it maps to. */
  hosts: Record<string, string>;
  environment?: 'wxwork';
  language?: string;
  /** Inside WeCom: a code for the signed-in member (from the simulator). */
  qyLogin?: () => Promise<string>;
  networkType?: string;
}

/** Captured at import, before a test installs fake timers: deadlines run on real time. */
const realSetTimeout = globalThis.setTimeout;

type Cb<T> = ((r: T) => void) | undefined;
type Listener<T> = (r: T) => void;

/** WeChat's limits (request concurrency, sockets, background grace period). */
export const MAX_REQUESTS = 10;
export const MAX_SOCKETS = 5;
export const BACKGROUND_GRACE_MS = 5000;

interface RequestOpts {
  url: string;
  method?: string;
  data?: Record<string, unknown> | string;
  header?: Record<string, string>;
  success: Cb<{ statusCode: number; data: unknown }>;
  fail: Cb<{ errMsg: string }>;
}

/** `encodeURIComponent(k)=encodeURIComponent(v)&…`, which is what WeChat does with GET data. */
function queryOf(data: RequestOpts['data']): string {
  if (data === undefined || data === null) return '';
  if (typeof data === 'string') return data;
  return Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

export function createWxDouble(opts: WxDoubleOptions, storage = new Map<string, unknown>()): WxDouble {
  const navigations: string[] = [];
  const toasts: string[] = [];
  const requests: string[] = [];
  const loads: string[] = [];
  const failures: string[] = [];
  const socketMessages: string[] = [];
  const socketSent: string[] = [];
  const socketUrls: string[] = [];
  const modals: { title: string; content: string }[] = [];
  const sockets = new Set<WebSocket>();
  const stalled = new Set<WebSocket>();
  let inflight = 0; // requests and logins the test should wait for
  const running = new Set<{ abort(): void }>();
  const queue: { run(): void; interrupt(): void }[] = [];
  let networkType = opts.networkType ?? 'wifi';
  let hidden = false;
  let interrupted = false;
  let hideTimer: ReturnType<typeof setTimeout> | null = null;
  const appHide: Listener<void>[] = [];
  const appShow: Listener<Record<string, unknown>>[] = [];
  const netChange: Listener<{ isConnected: boolean; networkType: string }>[] = [];
  const updateReadyListeners: Listener<void>[] = [];
  let applied = 0;
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  const double = { maxConcurrentRequests: 0, modalConfirm: true };

  /** The local URL for a legal https/wss URL, or null (WeChat: "url not in domain list"). */
  const mapUrl = (url: string, scheme: 'https' | 'wss'): string | null => {
    for (const [from, to] of Object.entries(opts.hosts)) {
      const origin = scheme === 'https' ? from : from.replace(/^https:/, 'wss:');
      if (url === origin || url.startsWith(`${origin}/`) || url.startsWith(`${origin}?`)) {
        const target = scheme === 'https' ? to : to.replace(/^http:/, 'ws:');
        return target + url.slice(origin.length);
      }
    }
    return null;
  };

  const startNext = () => {
    while (running.size < MAX_REQUESTS && queue.length > 0) queue.shift()!.run();
  };

  const request = (o: RequestOpts) => {
    const method = (o.method ?? 'GET').toUpperCase();
    let finished = false;
    const finish = (fn: () => void) => {
      if (finished) return;
      finished = true;
      fn();
    };
    const failNow = (errMsg: string) => {
      failures.push(errMsg);
      inflight++;
      // WeChat calls back asynchronously even when it refuses at once.
      setImmediate(() => {
        o.fail?.({ errMsg });
        inflight--;
        setImmediate(poke);
      });
    };
    if (!/^https:\/\//.test(o.url)) return failNow('request:fail invalid url (https only)');
    const mapped = mapUrl(o.url, 'https');
    if (!mapped) return failNow('request:fail url not in domain list');
    if (interrupted) return failNow('request:fail interrupted');
    if (networkType === 'none') return failNow('request:fail');
    let target = mapped;
    if (method === 'GET') {
      const qs = queryOf(o.data);
      if (qs) target += (target.includes('?') ? '&' : '?') + qs;
    }
    const url = new URL(target);
    requests.push(`${method} ${url.pathname}${url.search}`);
    const own = /\/widgets\/([^/]+)\/data$/.exec(url.pathname);
    if (own) loads.push(decodeURIComponent(own[1]!));
    else if (/^\/api\/reports\/[^/]+\/data$/.test(url.pathname)) {
      for (const w of (o.data as { widgets: { widgetId: string }[] }).widgets) loads.push(w.widgetId);
    }
    inflight++;

    const run = () => {
      const ctrl = new AbortController();
      const entry = {
        abort: () => {
          ctrl.abort();
          failures.push('request:fail interrupted');
          finish(() => o.fail?.({ errMsg: 'request:fail interrupted' }));
        },
      };
      running.add(entry);
      double.maxConcurrentRequests = Math.max(double.maxConcurrentRequests, running.size);
      const init: RequestInit = { method, headers: { ...o.header }, signal: ctrl.signal };
      if (method !== 'GET') {
        init.body = typeof o.data === 'string' ? o.data : JSON.stringify(o.data ?? {});
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
      fetch(url, init)
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON: passed on as text, like wx.request
          }
          finish(() => o.success?.({ statusCode: res.status, data }));
        })
        .catch(() => finish(() => o.fail?.({ errMsg: 'request:fail' })))
        .finally(() => {
          running.delete(entry);
          inflight--;
          startNext();
          // Let the promise chain that called wx.request run before declaring quiet.
          setImmediate(poke);
        });
    };
    if (running.size < MAX_REQUESTS) run();
    else
      queue.push({
        run,
        interrupt() {
          inflight--;
          failures.push('request:fail interrupted');
          finish(() => o.fail?.({ errMsg: 'request:fail interrupted' }));
          setImmediate(poke);
        },
      });
  };

  const dropSockets = () => {
    for (const ws of sockets) ws.terminate();
  };

  const connectSocket = (o: { url: string; header?: Record<string, string>; fail?: Cb<{ errMsg: string }> }) => {
    const refuse = (errMsg: string) => {
      failures.push(errMsg);
      const closeCbs: Listener<{ code: number; reason: string }>[] = [];
      const errorCbs: Listener<{ errMsg: string }>[] = [];
      setImmediate(() => {
        o.fail?.({ errMsg });
        errorCbs.forEach((cb) => cb({ errMsg }));
        closeCbs.forEach((cb) => cb({ code: 1006, reason: errMsg }));
        poke();
      });
      return {
        onOpen: () => undefined,
        onMessage: () => undefined,
        onClose: (cb: Listener<{ code: number; reason: string }>) => void closeCbs.push(cb),
        onError: (cb: Listener<{ errMsg: string }>) => void errorCbs.push(cb),
        send: () => undefined,
        close: () => undefined,
      };
    };
    if (!/^wss:\/\//.test(o.url)) return refuse('connectSocket:fail invalid url (wss only)');
    const mapped = mapUrl(o.url, 'wss');
    if (!mapped) return refuse('connectSocket:fail url not in domain list');
    if (interrupted || networkType === 'none') return refuse('connectSocket:fail interrupted');
    if (sockets.size >= MAX_SOCKETS) return refuse(`connectSocket:fail exceed max task count (${MAX_SOCKETS})`);
    const ws = new WebSocket(mapped, { headers: o.header ?? {} });
    sockets.add(ws);
    socketUrls.push(o.url);
    ws.on('error', () => undefined); // reported through onError/onClose to the app, never thrown
    ws.on('close', () => {
      sockets.delete(ws);
      stalled.delete(ws);
    });
    return {
      onOpen: (cb: () => void) => ws.on('open', () => (cb(), poke())),
      onMessage: (cb: (m: { data: string }) => void) =>
        ws.on('message', (d: Buffer) => {
          if (stalled.has(ws)) return;
          socketMessages.push(d.toString());
          cb({ data: d.toString() });
          poke();
        }),
      onClose: (cb: (r: { code: number; reason: string }) => void) =>
        ws.on('close', (code: number, reason: Buffer) => {
          if (stalled.has(ws)) return;
          cb({ code, reason: reason.toString() });
          poke();
        }),
      onError: (cb: (r: { errMsg: string }) => void) => ws.on('error', (e: Error) => cb({ errMsg: e.message })),
      send: (m: { data: string }) => {
        if (stalled.has(ws) || ws.readyState !== WebSocket.OPEN) return;
        socketSent.push(m.data);
        ws.send(m.data);
      },
      close: (c: { code?: number; reason?: string } = {}) => {
        if (stalled.has(ws)) {
          // Nothing reaches the server any more; the local socket just goes away.
          stalled.delete(ws);
          sockets.delete(ws);
          ws.terminate();
          return;
        }
        if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
        else ws.close(c.code, c.reason);
      },
    };
  };

  const updateManager = {
    onCheckForUpdate: () => undefined,
    onUpdateReady: (cb: Listener<void>) => void updateReadyListeners.push(cb),
    onUpdateFailed: () => undefined,
    applyUpdate: () => void applied++,
  };

  const wx: Record<string, unknown> = {
    getSystemInfoSync: () => ({ language: opts.language ?? 'zh_CN', pixelRatio: 2, ...(opts.environment ? { environment: opts.environment } : {}) }),
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, JSON.parse(JSON.stringify(v))),
    removeStorageSync: (k: string) => void storage.delete(k),
    getNetworkType: (o: { success: Cb<{ networkType: string }> }) => o.success?.({ networkType }),
    onNetworkStatusChange: (cb: Listener<{ isConnected: boolean; networkType: string }>) => void netChange.push(cb),
    onAppHide: (cb: Listener<void>) => void appHide.push(cb),
    onAppShow: (cb: Listener<Record<string, unknown>>) => void appShow.push(cb),
    getUpdateManager: () => updateManager,
    request,
    connectSocket,
    reLaunch: (o: { url: string }) => (navigations.push(o.url), poke(), Promise.resolve()),
    navigateTo: (o: { url: string }) => (navigations.push(o.url), poke(), Promise.resolve()),
    showToast: (o: { title: string }) => (toasts.push(o.title), poke(), Promise.resolve()),
    showModal(o: { title: string; content: string; success?: Cb<{ confirm: boolean; cancel: boolean }> }) {
      modals.push({ title: o.title, content: o.content });
      const answer = { confirm: double.modalConfirm, cancel: !double.modalConfirm };
      o.success?.(answer);
      poke();
      return Promise.resolve(answer);
    },
    stopPullDownRefresh: () => undefined,
    setNavigationBarTitle: () => Promise.resolve(),
  };
  if (opts.environment === 'wxwork') {
    wx.qy = {
      login(o: { success: Cb<{ code: string; errMsg: string }>; fail: Cb<{ errMsg: string }> }) {
        if (!opts.qyLogin) return o.fail?.({ errMsg: 'qy.login:fail' });
        inflight++;
        opts
          .qyLogin()
          .then((code) => o.success?.({ code, errMsg: 'qy.login:ok' }))
          .catch(() => o.fail?.({ errMsg: 'qy.login:fail' }))
          .finally(() => {
            inflight--;
            setImmediate(poke);
          });
      },
    };
  }

  const waitFor = async (pred: () => boolean, deadlineMs = 10_000) => {
    const started = Date.now();
    while (!pred()) {
      if (Date.now() - started > deadlineMs) throw new Error(`condition not met within ${deadlineMs} ms: ${pred.toString()}`);
      // Re-check on activity, and at least every 100 ms (real time, even under fake timers).
      await new Promise<void>((r) => {
        waiters.push(r);
        realSetTimeout(r, 100);
      });
    }
  };
  return {
    wx,
    storage,
    navigations,
    toasts,
    requests,
    widgetLoads: () => [...loads],
    failures,
    socketMessages,
    socketSent,
    socketUrls,
    modals,
    get modalConfirm() {
      return double.modalConfirm;
    },
    set modalConfirm(v: boolean) {
      double.modalConfirm = v;
    },
    get maxConcurrentRequests() {
      return double.maxConcurrentRequests;
    },
    openSockets: () => sockets.size,
    async settled() {
      // Drain: wait until no request is in flight across a full turn of the event loop.
      for (;;) {
        if (inflight === 0) {
          await new Promise((r) => setImmediate(r));
          if (inflight === 0) return;
        }
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    waitFor,
    closeSockets: () => sockets.forEach((s) => s.terminate()),
    hideApp() {
      if (hidden) return;
      hidden = true;
      appHide.forEach((cb) => cb());
      hideTimer = setTimeout(() => {
        interrupted = true;
        for (const r of [...running]) r.abort();
        for (const q of queue.splice(0)) q.interrupt();
        dropSockets();
        poke();
      }, BACKGROUND_GRACE_MS);
    },
    showApp() {
      if (!hidden) return;
      hidden = false;
      interrupted = false;
      if (hideTimer !== null) clearTimeout(hideTimer);
      hideTimer = null;
      appShow.forEach((cb) => cb({}));
      poke();
    },
    setNetwork(type: string) {
      networkType = type;
      if (type === 'none') dropSockets();
      netChange.forEach((cb) => cb({ isConnected: type !== 'none', networkType: type }));
      poke();
    },
    stallSockets() {
      for (const ws of sockets) stalled.add(ws);
    },
    updateReady() {
      updateReadyListeners.forEach((cb) => cb());
      poke();
    },
    updatesApplied: () => applied,
  };
}
