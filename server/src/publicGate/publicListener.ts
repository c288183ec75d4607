import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { FORBIDDEN_PAGE, isMiniProgramReferer, publicAccess } from './policy.js';

export interface ListenAddress {
  host: string;
  port: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Opens the public listener (SHULAN_PUBLIC_LISTEN): the same app and Deps, but every request
     * on it goes through the mini-program gate of policy.ts. Call after the app is built.
     */
    listenPublic(address: ListenAddress): Promise<AddressInfo>;
  }
}

/**
 * The gate for deployments without nginx. Requests arriving on a public listener's sockets are
 * admitted by policy.ts only; the main listener (intranet: web UI, admin API) is untouched.
 * The AppID is read from the saved WeCom settings on every gated request, so saving a new one
 * takes effect at once.
 */
export function registerPublicGate(app: FastifyInstance, deps: Deps): void {
  const publicSockets = new WeakSet<Socket>();
  const servers: http.Server[] = [];

  app.addHook('onRequest', async (req, reply) => {
    if (!publicSockets.has(req.raw.socket)) return;
    const access = publicAccess(req.method, req.routeOptions.url);
    if (access === 'anyone') return;
    if (access === 'mini-program' && isMiniProgramReferer(req.headers.referer, (await deps.wecom.settings()).appId)) return;
    return reply.code(403).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(FORBIDDEN_PAGE);
  });

  app.decorate('listenPublic', async ({ host, port }: ListenAddress): Promise<AddressInfo> => {
    await app.ready();
    // Fastify's own pattern for extra bindings: a plain server handing requests to the app's
    // router, and WebSocket upgrades to the main server, where @fastify/websocket takes them.
    const server = http.createServer((req, res) => app.routing(req, res));
    server.on('connection', (socket: Socket) => publicSockets.add(socket));
    server.on('upgrade', (req, socket, head) => app.server.emit('upgrade', req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    servers.push(server);
    return server.address() as AddressInfo;
  });

  app.addHook('onClose', async () => {
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  });
}
