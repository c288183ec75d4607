import { permissionRoutes } from './permissions/permissionRoutes.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { authRoutes } from './auth/authRoutes.js';
import { externalLoginRoutes } from './auth/external/externalRoutes.js';
import { auditRoutes } from './audit/auditRoutes.js';
import { datasetRoutes } from './datasets/datasetRoutes.js';
import { sqlEditorRoutes } from './datasets/sqlEditor/sqlEditorRoutes.js';
import { datasourceRoutes } from './datasources/datasourceRoutes.js';
import { doctorRoutes } from './doctor/doctorRoutes.js';
import type { Deps } from './deps.js';
import { groupRoutes } from './groups/groupRoutes.js';
import { errorHandler } from './http/errorHandler.js';
import { buildOpenApi } from './http/openapi.js';
import { registerRoutes } from './http/registerRoutes.js';
import { route, type RouteDef } from './http/route.js';
import { registerSecurityHeaders } from './http/securityHeaders.js';
import { reportRoutes } from './reports/reportRoutes.js';
import { reviewerRoutes } from './reviewer/reviewerRoutes.js';
import { siteRoutes } from './settings/siteRoutes.js';
import { mobileSettingsRoutes } from './settings/mobileSettingsRoutes.js';
import { registerLiveSocket } from './live/liveSocket.js';
import { registerPublicGate } from './publicGate/publicListener.js';
import { userRoutes } from './users/userRoutes.js';
import { registerVerificationFileServing } from './wecom/verificationFiles.js';
import { wecomRoutes } from './wecom/wecomRoutes.js';
import { registerSyncProgressSocket, syncRoutes } from './wecom/sync/syncRoutes.js';
import { matchingRoutes } from './wecom/matching/matchingRoutes.js';
import { memberRoutes } from './wecom/access/memberRoutes.js';
import { callbackQueueFor } from './wecom/callbacks/callbackQueue.js';
import { subscriptionRoutes } from './wecom/subscriptions/subscriptionRoutes.js';
import { shareUploadProgress } from './datasets/uploads/importProgress.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The route table, for the OpenAPI document and the authorization-matrix test. */
    routeTable: RouteDef[];
  }
}

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;
const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Every route of the API, one list per area of the product. */
export function apiRoutes(deps: Deps): RouteDef[] {
  return [
    ...authRoutes(deps),
    ...externalLoginRoutes(deps),
    ...userRoutes(deps),
    ...groupRoutes(deps),
    ...datasourceRoutes(deps),
    ...datasetRoutes(deps),
    ...sqlEditorRoutes(deps),
    ...reportRoutes(deps),
    ...siteRoutes(deps),
    ...mobileSettingsRoutes(deps),
    ...auditRoutes(deps),
    ...wecomRoutes(deps),
    ...syncRoutes(deps),
    ...matchingRoutes(deps),
    ...memberRoutes(deps),
    ...subscriptionRoutes(deps),
    ...reviewerRoutes(deps),
    ...doctorRoutes(deps),
    ...permissionRoutes(deps),
  ];
}

/** Builds the HTTP app without listening, so tests use inject() or listen on port 0. */
export async function buildApp(deps: Deps, opts: { logger?: boolean; webDist?: string | null } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          },
    bodyLimit: 1024 * 1024,
    // Only the configured proxies may say who the client is: req.ip feeds the login limits and the audit log.
    trustProxy: deps.config.trustedProxies.length ? deps.config.trustedProxies : false,
  });
  await registerSecurityHeaders(app, { https: deps.config.secureCookies });
  // Large API answers (long lists, previews) are gzipped on the fly. Not brotli: its encoder allocates
  // megabytes per response, which costs more CPU and GC than it saves here; and not answers under 8 KB
  // (a login, a chart's data), where compressing costs more than sending. The web app's files are
  // compressed once at build time, brotli included, and sent as they are (preCompressed below).
  await app.register(compress, { encodings: ['gzip'], threshold: 8 * 1024 });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } });
  // Sockets (sync progress, live report updates) authenticate with http/socketAuth.ts.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // WeCom's callback posts XML; its route reads the text and checks the signature itself.
  app.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler(errorHandler);
  registerPublicGate(app, deps); // SHULAN_PUBLIC_LISTEN: the mini-program-only listener

  const routes = apiRoutes(deps);
  routes.push(
    route({
      method: 'GET',
      url: '/api/openapi.json',
      access: 'public',
      tag: 'meta',
      summary: 'This OpenAPI description',
      handler: async ({ reply }) => {
        void reply.send(buildOpenApi(app.routeTable));
      },
    }),
  );
  app.decorate('routeTable', routes);
  registerRoutes(app, deps, routes);
  // WeCom callback events stored but not applied before a restart are applied now; close waits for the one in hand.
  const callbackQueue = callbackQueueFor(deps);
  app.addHook('onReady', async () => callbackQueue.kick());
  app.addHook('onClose', async () => callbackQueue.idle());
  // With several instances, an upload's progress is answered by whichever one a poll lands on.
  if (deps.cluster.redis) {
    const stopSharing = shareUploadProgress(deps.cluster.bus);
    app.addHook('onClose', async () => stopSharing());
  }
  // Live sync progress for the admin UI (a WebSocket, so outside the JSON route table).
  registerSyncProgressSocket(app, deps);
  registerLiveSocket(app, deps); // live report updates for the mini program
  // Domain verification files at the site root (/<name>.txt), before the SPA fallback.
  registerVerificationFileServing(app, deps);

  const webDist = opts.webDist === undefined ? WEB_DIST : opts.webDist;
  const hasWeb = webDist !== null && fs.existsSync(path.join(webDist, 'index.html'));
  // Wildcard serving reads the folder per request, so a rebuilt web app needs no restart.
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: true,
      // The build writes .br/.gz next to each file (web/vite.config.ts); sent as is when the browser accepts them.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) => {
        // Files under assets/ carry a content hash in their name: a new build means a new URL, so they never go stale.
        // index.html (and the SPA routes served from it) must be revalidated to pick up a new build.
        const hashed = path.relative(webDist, file).split(path.sep)[0] === 'assets';
        void reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0] ?? '';
    // A missing asset must be a 404, not the app's HTML (which would load as a blank page).
    const isAsset = /\.[A-Za-z0-9]+$/.test(pathname);
    if (req.url.startsWith('/api/') || req.method !== 'GET' || !hasWeb || isAsset) {
      void reply.status(404).send({ error: { code: 'not_found', message: `No such endpoint: ${req.method} ${req.url.split('?')[0]}` } });
      return;
    }
    // Client-side routes of the single-page app.
    void reply.type('text/html').sendFile('index.html');
  });
  return app;
}
