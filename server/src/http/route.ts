import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { SessionUser } from '@shulan/shared';

/**
 * Who may call a route. Every route states one; the authorization-matrix test reads them.
 * - public: anyone, logged in or not
 * - user: any logged-in active user (finer checks, such as report grants, happen in the handler)
 * - editor: editors and admins
 * - admin: admins only
 * - report: users who may view the report named by the `:reportId` path parameter
 *   (checked by `assertCanViewReport` before the body is parsed)
 */
export type Access = 'public' | 'user' | 'editor' | 'admin' | 'report';

export type Lang = 'zh' | 'en';

export interface RouteContext<P, Q, B> {
  user: SessionUser | null;
  params: P;
  query: Q;
  body: B;
  lang: Lang;
  req: FastifyRequest;
  reply: FastifyReply;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteDef<PS = Schema | undefined, QS = Schema | undefined, BS = Schema | undefined> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  access: Access;
  summary: string;
  tag: string;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Multipart upload; the handler reads the file from `req`. */
  multipart?: boolean;
  /** Handler returns the `data` of the response; return nothing after writing `reply` yourself. */
  handler: (ctx: RouteContext<Out<PS>, Out<QS>, Out<BS>>) => Promise<unknown>;
}

/** Identity helper that keeps the schema types flowing into the handler. */
export function route<
  PS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
  BS extends Schema | undefined = undefined,
>(def: RouteDef<PS, QS, BS>): RouteDef {
  return def as unknown as RouteDef;
}
