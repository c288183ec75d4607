import { currentDomain } from '../utils/domain';
import { t } from '../utils/i18n';
import { storage } from '../utils/storage';
import { sessionEnded } from './request';

export interface LiveHandle {
  close(): void;
}

const MAX_BACKOFF_MS = 30_000;
/** A ping this often keeps proxies and NAT from dropping an idle socket, and proves the link works. */
export const PING_INTERVAL_MS = 25_000;
/** Nothing heard for this long after a ping: the link is dead even though no close arrived. */
export const PONG_TIMEOUT_MS = 10_000;
/** Server close codes for "your session ended" / "no longer allowed" (server/src/http/socketAuth.ts). */
const SESSION_CLOSE_CODES = [4401, 4403];

/** Backoff before reconnect attempt n (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, attempt));
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * The app's one socket to `wss://<domain>/api/live` (WeChat allows 5 at once; a page that opens its
 * own each time leaks them), shared by every watcher: report id → the callbacks watching it.
 */
const watchers = new Map<string, Set<() => void>>();
let socket: WechatMiniprogram.SocketTask | null = null;
let socketToken = '';
let isOpen = false;
let attempt = 0;
let reconnectTimer: Timer | null = null;
let pingTimer: Timer | null = null;
let deadTimer: Timer | null = null;
/** Reports watched while the link was down: they may have changed unseen, so refetch on reconnect. */
const missed = new Set<string>();
let listening = false;

function stopTimer(timer: Timer | null): null {
  if (timer !== null) clearTimeout(timer);
  return null;
}

function send(msg: Record<string, unknown>): void {
  if (socket && isOpen) socket.send({ data: JSON.stringify(msg) });
}

/** Forgets the current socket (its late events are ignored) and its heartbeat. */
function drop(): WechatMiniprogram.SocketTask | null {
  const task = socket;
  socket = null;
  isOpen = false;
  pingTimer = stopTimer(pingTimer);
  deadTimer = stopTimer(deadTimer);
  return task;
}

function lostLink(): void {
  if (isOpen) for (const id of watchers.keys()) missed.add(id);
  drop();
  scheduleReconnect();
}

function scheduleReconnect(): void {
  if (watchers.size === 0 || reconnectTimer !== null) return;
  reconnectTimer = setTimeout(connect, backoffMs(attempt++));
}

/** Back in the foreground or online again: no reason to wait out the backoff. */
function reconnectNow(): void {
  if (socket || watchers.size === 0 || reconnectTimer === null) return;
  reconnectTimer = stopTimer(reconnectTimer);
  attempt = 0;
  connect();
}

function heartbeat(): void {
  send({ ping: true });
  if (deadTimer === null) {
    deadTimer = setTimeout(() => {
      // No close event comes when a phone silently loses the route: close it ourselves and retry.
      const task = socket;
      lostLink();
      try {
        task?.close({ code: 1000 });
      } catch {
        // Already gone.
      }
    }, PONG_TIMEOUT_MS);
  }
  pingTimer = setTimeout(heartbeat, PING_INTERVAL_MS);
}

function notify(ids: Iterable<string>): void {
  const callbacks = [...ids].flatMap((id) => [...(watchers.get(id) ?? [])]);
  for (const cb of callbacks) cb();
}

function listenToApp(): void {
  if (listening) return;
  listening = true;
  if (typeof wx.onAppShow === 'function') wx.onAppShow(reconnectNow);
  if (typeof wx.onNetworkStatusChange === 'function') wx.onNetworkStatusChange((r) => r.isConnected && reconnectNow());
}

function connect(): void {
  reconnectTimer = null;
  const domain = currentDomain();
  const token = storage.token();
  if (socket || watchers.size === 0 || !domain || !token) return;
  listenToApp();
  const task = wx.connectSocket({ url: `${domain.replace(/^https:/, 'wss:')}/api/live`, header: { Authorization: `Bearer ${token}` } });
  socket = task;
  socketToken = token;
  const current = () => socket === task;
  task.onOpen(() => {
    if (!current()) return;
    isOpen = true;
    attempt = 0;
    for (const id of watchers.keys()) send({ subscribe: id });
    pingTimer = setTimeout(heartbeat, PING_INTERVAL_MS);
    const changed = [...missed];
    missed.clear();
    notify(changed);
  });
  task.onMessage((m) => {
    if (!current()) return;
    deadTimer = stopTimer(deadTimer);
    let msg: { type?: string; reportId?: string };
    try {
      msg = JSON.parse(String(m.data)) as typeof msg;
    } catch {
      return; // not ours
    }
    if (msg.type === 'report.data_changed' && msg.reportId) notify([msg.reportId]);
  });
  task.onClose((res) => {
    if (!current()) return;
    if (SESSION_CLOSE_CODES.includes(res?.code)) {
      // The session is over: retrying cannot help. Forget everything and send the user to login once.
      drop();
      watchers.clear();
      missed.clear();
      sessionEnded(socketToken, t('sessionExpired'));
      return;
    }
    lostLink();
  });
  task.onError(() => undefined); // onClose follows and schedules the reconnect
}

/**
 * Calls onChange when the report's data changes on the server, and after a reconnect (changes may
 * have been missed meanwhile). All watchers share one socket, closed when the last one leaves.
 */
export function watchReport(reportId: string, onChange: () => void): LiveHandle {
  let set = watchers.get(reportId);
  if (!set) {
    set = new Set();
    watchers.set(reportId, set);
    send({ subscribe: reportId });
  }
  const entry = () => onChange();
  set.add(entry);
  if (!socket && reconnectTimer === null) connect();

  let closed = false;
  const mine = set;
  return {
    close() {
      if (closed) return;
      closed = true;
      mine.delete(entry);
      if (mine.size > 0 || watchers.get(reportId) !== mine) return;
      watchers.delete(reportId);
      missed.delete(reportId);
      send({ unsubscribe: reportId });
      if (watchers.size > 0) return;
      reconnectTimer = stopTimer(reconnectTimer);
      attempt = 0;
      drop()?.close({});
    },
  };
}
