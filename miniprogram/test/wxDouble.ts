import WebSocket from 'ws';

/**
 * A `wx` global for tests: requests and sockets reach a real Shulan over HTTP/WebSocket
 * (the https domain the user types is mapped to the local test server), storage is in memory,
 * navigation is recorded, and `qy.login` asks the WeCom simulator for a real code.
 */
export interface WxDouble {
  wx: Record<string, unknown>;
  storage: Map<string, unknown>;
  navigations: string[];
  toasts: string[];
  /** Every wx.request: method + path. */
  requests: string[];
  /** Messages received by any socket. */
  socketMessages: string[];
  /** Resolves when nothing is in flight (requests, responses being handled). */
  settled(): Promise<void>;
  /** Resolves once `pred` holds, re-checking whenever the double sees activity. */
  waitFor(pred: () => boolean): Promise<void>;
  closeSockets(): void;
}

export interface WxDoubleOptions {
  /** https origin the user types → the local http server. */
  hosts: Record<string, string>;
  environment?: 'wxwork';
  language?: string;
  /** Inside WeCom: a code for the signed-in member (from the simulator). */
  qyLogin?: () => Promise<string>;
  networkType?: string;
}

type Cb<T> = ((r: T) => void) | undefined;

export function createWxDouble(opts: WxDoubleOptions, storage = new Map<string, unknown>()): WxDouble {
  const navigations: string[] = [];
  const toasts: string[] = [];
  const requests: string[] = [];
  const socketMessages: string[] = [];
  const sockets: WebSocket[] = [];
  let inflight = 0;
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());

  const mapUrl = (url: string): string => {
    for (const [from, to] of Object.entries(opts.hosts)) {
      if (url.startsWith(from)) return to + url.slice(from.length);
      const wss = from.replace(/^https:/, 'wss:');
      if (url.startsWith(wss)) return to.replace(/^http:/, 'ws:') + url.slice(wss.length);
    }
    return url; // unknown host: fetch fails like a dead server
  };

  const wx: Record<string, unknown> = {
    getSystemInfoSync: () => ({ language: opts.language ?? 'zh_CN', pixelRatio: 2, ...(opts.environment ? { environment: opts.environment } : {}) }),
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, JSON.parse(JSON.stringify(v))),
    removeStorageSync: (k: string) => void storage.delete(k),
    getNetworkType: (o: { success: Cb<{ networkType: string }> }) => o.success?.({ networkType: opts.networkType ?? 'wifi' }),
    request(o: { url: string; method?: string; data?: Record<string, unknown>; header?: Record<string, string>; success: Cb<{ statusCode: number; data: unknown }>; fail: Cb<{ errMsg: string }> }) {
      const method = o.method ?? 'GET';
      const url = new URL(mapUrl(o.url));
      requests.push(`${method} ${url.pathname}${url.search}`);
      inflight++;
      const init: RequestInit = { method, headers: { ...o.header } };
      if (method !== 'GET') {
        init.body = JSON.stringify(o.data ?? {});
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
          o.success?.({ statusCode: res.status, data });
        })
        .catch(() => o.fail?.({ errMsg: 'request:fail' }))
        .finally(() => {
          inflight--;
          // Let the promise chain that called wx.request run before declaring quiet.
          setImmediate(poke);
        });
    },
    connectSocket(o: { url: string; header?: Record<string, string> }) {
      const ws = new WebSocket(mapUrl(o.url), { headers: o.header ?? {} });
      sockets.push(ws);
      return {
        onOpen: (cb: () => void) => ws.on('open', () => (cb(), poke())),
        onMessage: (cb: (m: { data: string }) => void) =>
          ws.on('message', (d: Buffer) => {
            socketMessages.push(d.toString());
            cb({ data: d.toString() });
            poke();
          }),
        onClose: (cb: () => void) => ws.on('close', () => (cb(), poke())),
        onError: (cb: () => void) => ws.on('error', () => cb()),
        send: (m: { data: string }) => ws.send(m.data),
        close: () => ws.close(),
      };
    },
    reLaunch: (o: { url: string }) => (navigations.push(o.url), poke(), Promise.resolve()),
    navigateTo: (o: { url: string }) => (navigations.push(o.url), poke(), Promise.resolve()),
    showToast: (o: { title: string }) => (toasts.push(o.title), poke(), Promise.resolve()),
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

  const waitFor = async (pred: () => boolean) => {
    while (!pred()) await new Promise<void>((r) => waiters.push(r));
  };
  return {
    wx,
    storage,
    navigations,
    toasts,
    requests,
    socketMessages,
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
    closeSockets: () => sockets.forEach((s) => s.close()),
  };
}
