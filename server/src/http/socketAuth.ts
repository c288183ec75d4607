import type { SessionUser } from '@shulan/shared';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { hashToken, type EndedSessions } from '../auth/SessionService.js';
import type { Deps } from '../deps.js';
import { authenticate } from './registerRoutes.js';

/**
 * The user behind a WebSocket handshake: bearer header (mini program, `wx.connectSocket` with
 * `header`) or the session cookie (web). Browsers send cookies on cross-site socket handshakes
 * too, so a cookie only counts when the Origin is this very host.
 */
export async function authenticateSocket(req: FastifyRequest, deps: Deps): Promise<SessionUser | null> {
  await authenticate(req, deps);
  if (!req.user) return null;
  if (req.sessionVia === 'cookie') {
    const origin = req.headers.origin;
    if (!origin) return null;
    try {
      if (new URL(origin).host !== req.headers.host) return null;
    } catch {
      return null;
    }
  }
  return req.user;
}

/** Close codes a client sees when the server ends the socket (4000–4999 belong to the application). */
export const SOCKET_SESSION_ENDED = 4401;
export const SOCKET_FORBIDDEN = 4403;

export interface SocketSession {
  /**
   * The user as of now, read again from the session: null, and the socket closing, once the
   * session has ended, the user is disabled, or the user no longer passes the socket's rule.
   */
  current(): Promise<SessionUser | null>;
  /** Runs `task` after every task queued before it, so messages keep their order. */
  serial(task: () => Promise<void>): void;
}

/**
 * Keeps an open socket tied to the session that opened it (authenticated at the handshake): the
 * socket closes as soon as that session ends here, and `current()` re-checks before each send.
 */
export function holdSocketSession(
  socket: WebSocket,
  req: FastifyRequest,
  deps: Pick<Deps, 'sessions'>,
  allowed: (user: SessionUser) => boolean = () => true,
): SocketSession {
  const token = req.sessionToken!;
  const opener = req.user!;
  const tokenHash = hashToken(token);
  const isOpen = () => socket.readyState === socket.OPEN;
  const close = (code: number, reason: string) => {
    if (isOpen()) socket.close(code, reason);
  };

  const ours = (e: EndedSessions) => {
    if ('tokenHash' in e) return e.tokenHash === tokenHash;
    if ('everyone' in e) return e.via === opener.via;
    return e.userId === opener.id && (!e.via || e.via === opener.via);
  };
  const off = deps.sessions.onEnded((e) => {
    if (ours(e)) close(SOCKET_SESSION_ENDED, 'session ended');
  });
  socket.on('close', off);

  let queue = Promise.resolve();
  return {
    async current() {
      if (!isOpen()) return null;
      const user = await deps.sessions.authenticate(token, { touch: false });
      if (!user) close(SOCKET_SESSION_ENDED, 'session ended');
      else if (!allowed(user)) close(SOCKET_FORBIDDEN, 'forbidden');
      return user && allowed(user) && isOpen() ? user : null;
    },
    serial(task) {
      queue = queue.then(task).catch((err: unknown) => req.log.error({ err }, 'socket task failed'));
    },
  };
}
