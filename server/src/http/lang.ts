import type { FastifyRequest } from 'fastify';
import type { Lang } from './route.js';

/** Chinese unless the client asks for English first. */
export function langOf(req: FastifyRequest): Lang {
  const h = req.headers['accept-language'];
  return typeof h === 'string' && /^en\b/i.test(h.trim()) ? 'en' : 'zh';
}
