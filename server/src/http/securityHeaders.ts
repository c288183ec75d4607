import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Browser protections on every response (web app, assets and API alike). The built app is plain
 * module scripts from /assets, so no inline script is allowed; antd writes its CSS-in-JS into
 * <style> tags and style attributes, hence 'unsafe-inline' for styles only. WebSockets to the
 * same host are covered by connect-src 'self'.
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: { https: boolean }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        // data: for the inline SVG favicon; blob: for files the app builds for download.
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only meaningful over HTTPS; without includeSubDomains so other hosts of the company are unaffected.
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
}
