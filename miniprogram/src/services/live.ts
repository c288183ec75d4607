import { currentDomain } from '../utils/domain';
import { storage } from '../utils/storage';

export interface LiveHandle {
  close(): void;
}

const MAX_BACKOFF_MS = 30_000;

/** Backoff before reconnect attempt n (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, attempt));
}

/**
 * Watches one report over `wss://<domain>/api/live`: calls onChange when its data changes,
 * reconnects with exponential backoff until closed.
 */
export function watchReport(reportId: string, onChange: () => void): LiveHandle {
  let closed = false;
  let attempt = 0;
  let task: WechatMiniprogram.SocketTask | null = null;
  let timer: number | null = null;

  const connect = () => {
    const domain = currentDomain();
    const token = storage.token();
    if (closed || !domain || !token) return;
    const url = `${domain.replace(/^https:/, 'wss:')}/api/live`;
    const socket = wx.connectSocket({ url, header: { Authorization: `Bearer ${token}` } });
    task = socket;
    socket.onOpen(() => {
      attempt = 0;
      socket.send({ data: JSON.stringify({ subscribe: reportId }) });
    });
    socket.onMessage((m) => {
      try {
        const msg = JSON.parse(String(m.data)) as { type?: string; reportId?: string };
        if (msg.type === 'report.data_changed' && msg.reportId === reportId) onChange();
      } catch {
        // Not ours; ignore.
      }
    });
    socket.onClose(() => {
      task = null;
      if (closed) return;
      timer = setTimeout(connect, backoffMs(attempt++)) as unknown as number;
    });
    socket.onError(() => undefined); // onClose follows and schedules the reconnect
  };
  connect();

  return {
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      task?.close({});
    },
  };
}
