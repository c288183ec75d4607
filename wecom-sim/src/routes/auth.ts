import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { WecomError } from '../errors.js';
import type { SimState } from '../simulator.js';
import { wecomRoute, withApp } from './wecomRoute.js';

/** gettoken and miniprogram/jscode2session (reference §1, §2.3). */
export function registerAuthRoutes(fastify: FastifyInstance, state: SimState): void {
  wecomRoute(fastify, state, { method: 'GET', endpoint: 'gettoken' }, ({ corp, query }) => {
    if (!query.corpid) {
      throw new WecomError(41002);
    }
    if (query.corpid !== corp.corpid) {
      throw new WecomError(40013);
    }
    if (!query.corpsecret) {
      throw new WecomError(41004);
    }
    const app = corp.apps.find((a) => a.secret === query.corpsecret);
    if (!app) {
      throw new WecomError(40001);
    }
    if (!app.enabled) {
      throw new WecomError(50003);
    }
    const { token, expiresIn } = state.tokens.issue(app.key);
    return { access_token: token, expires_in: expiresIn };
  });

  wecomRoute(
    fastify,
    state,
    { method: 'GET', endpoint: 'miniprogram/jscode2session' },
    withApp(({ app, corp, query }) => {
      // Only the token of the app associated with the mini program may exchange codes.
      if (app.kind !== 'miniprogram') {
        throw new WecomError(48002);
      }
      if (!query.js_code) {
        throw new WecomError(41008);
      }
      if (query.grant_type !== 'authorization_code') {
        throw new WecomError(40035);
      }
      const userid = state.codes.consume(query.js_code, app.key);
      if (!userid) {
        throw new WecomError(40029);
      }
      // The member may have been deleted since the code was issued.
      const member = corp.getMember(userid);
      if (!member) {
        throw new WecomError(40029);
      }
      return { corpid: corp.corpid, userid: member.userid, session_key: randomBytes(16).toString('base64') };
    }),
  );
}
