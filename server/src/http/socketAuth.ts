import type { SessionUser } from '@shulan/shared';
import type { FastifyRequest } from 'fastify';
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
