import type { Access, RouteDef } from '../src/http/route.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, nowIso } from '../src/lib/ids.js';
import { createTestApp, type TestApp } from './testApp.js';

/**
 * Who may call each route, written down by hand. A route missing here, or whose declared access
 * differs, fails the test: adding or loosening a route needs a deliberate change in this table.
 */
const EXPECTED: Record<string, Access> = {
  'GET /api/openapi.json': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'user',
  'POST /api/auth/logout-all': 'user',
  'GET /api/auth/me': 'user',
  'POST /api/auth/password': 'user',
  'GET /api/personnel': 'admin',
  'GET /api/users/options': 'editor',
  'POST /api/users': 'admin',
  'GET /api/users/:userId': 'admin',
  'PATCH /api/users/:userId': 'admin',
  'POST /api/users/:userId/logout-all': 'admin',
  'POST /api/users/import': 'admin',
  'GET /api/groups': 'editor',
  'POST /api/groups': 'admin',
  'PATCH /api/groups/:groupId': 'admin',
  'DELETE /api/groups/:groupId': 'admin',
  'GET /api/groups/:groupId/members': 'admin',
  'PUT /api/groups/:groupId/members': 'admin',
  'GET /api/site': 'public',
  'GET /api/audit': 'admin',
  'GET /api/reports': 'user',
  'POST /api/reports': 'editor',
  'GET /api/reports/:reportId': 'report',
  'PUT /api/reports/:reportId': 'editor',
  'DELETE /api/reports/:reportId': 'editor',
  'POST /api/reports/:reportId/data': 'report',
  'POST /api/reports/:reportId/widgets/:widgetId/data': 'report',
  'POST /api/reports/:reportId/widgets/:widgetId/drill': 'report',
  'GET /api/reports/:reportId/widgets/:widgetId/export.csv': 'report',
  'GET /api/reports/:reportId/filters/:filterId/values': 'report',
  'POST /api/query/preview': 'editor',
  'GET /api/reports/:reportId/grants': 'editor',
  'PUT /api/reports/:reportId/grants': 'editor',
  'GET /api/datasets/:datasetId/permissions': 'admin',
  'PUT /api/datasets/:datasetId/permissions': 'admin',
  'GET /api/users/:userId/attributes': 'admin',
  'PUT /api/users/:userId/attributes': 'admin',
  'GET /api/groups/:groupId/attributes': 'admin',
  'PUT /api/groups/:groupId/attributes': 'admin',
  'POST /api/reports/:reportId/view-as': 'admin',
  'GET /api/favorites': 'user',
  'PUT /api/reports/:reportId/favorite': 'report',
  'DELETE /api/reports/:reportId/favorite': 'report',
  'GET /api/datasources': 'editor',
  'GET /api/datasources/:id': 'editor',
  'POST /api/datasources': 'admin',
  'PUT /api/datasources/:id': 'admin',
  'DELETE /api/datasources/:id': 'admin',
  'POST /api/datasources/test': 'admin',
  'POST /api/datasources/:id/test': 'admin',
  'GET /api/datasources/:id/tables': 'editor',
  'GET /api/datasources/:id/tables/:table/fields': 'editor',
  'POST /api/uploads': 'editor',
  'POST /api/uploads/:uploadId/import': 'editor',
  'POST /api/uploads/:uploadId/import-sheets': 'editor',
  'POST /api/uploads/:uploadId/sheet': 'editor',
  'GET /api/uploads/:uploadId/progress': 'editor',
  'DELETE /api/embedded-tables/:id': 'editor',
  'GET /api/embedded-tables': 'editor',
  'GET /api/datasets': 'editor',
  'GET /api/datasets/:id': 'editor',
  'POST /api/datasets': 'editor',
  'PUT /api/datasets/:id': 'editor',
  'DELETE /api/datasets/:id': 'editor',
  'GET /api/datasets/:id/preview': 'editor',
  'GET /api/datasources/:id/schema': 'editor',
  'POST /api/datasources/:id/run-sql': 'editor',
  'POST /api/datasets/:id/validate-expression': 'editor',
  'GET /api/settings/wecom': 'admin',
  'PUT /api/settings/wecom': 'admin',
  'POST /api/settings/wecom/test': 'admin',
  'POST /api/settings/wecom/verification-files': 'admin',
  'GET /api/settings/wecom/verification-files': 'admin',
  'DELETE /api/settings/wecom/verification-files/:name': 'admin',
  'POST /api/wecom/login': 'public',
  'POST /api/wecom/bind': 'public',
  // 企业微信网页登录: before any session exists; the state cookie / bind cookie are the proof.
  'GET /api/auth/methods': 'public',
  'GET /api/auth/wecom/oauth/start': 'public',
  'GET /api/auth/wecom/qr/start': 'public',
  'GET /api/auth/wecom/callback': 'public',
  'GET /api/auth/wecom/bind': 'public',
  'POST /api/auth/wecom/bind': 'public',
  'GET /api/settings/wecom-web': 'admin',
  // OIDC and LDAP: the provider's redirect and the login form come before any session.
  'GET /api/auth/oidc/start': 'public',
  'GET /api/auth/oidc/callback': 'public',
  'POST /api/auth/ldap/login': 'public',
  'GET /api/settings/oidc': 'admin',
  'PUT /api/settings/oidc': 'admin',
  'GET /api/settings/ldap': 'admin',
  'PUT /api/settings/ldap': 'admin',
  'PUT /api/settings/wecom-web': 'admin',
  'PUT /api/wecom/bindings/:userId': 'admin',
  'DELETE /api/wecom/bindings/:userId': 'admin',
  'POST /api/wecom/sync': 'admin',
  'GET /api/wecom/sync/runs': 'admin',
  'GET /api/wecom/sync/events': 'admin',
  // WeCom's servers call it; the signature made with the callback Token is the authentication.
  'GET /api/wecom/callback': 'public',
  'POST /api/wecom/callback': 'public',
  'GET /api/wecom/sync/runs/:runId': 'admin',
  'GET /api/wecom/sync/schedule': 'admin',
  'PUT /api/wecom/sync/schedule': 'admin',
  'POST /api/wecom/matching/preview': 'admin',
  'POST /api/wecom/matching/confirm': 'admin',
  'GET /api/wecom/members': 'admin',
  'GET /api/settings/mobile': 'admin',
  'PUT /api/settings/mobile': 'admin',
  'GET /api/mobile/me': 'user',
  'GET /api/settings/miniprogram/package': 'admin',
  'GET /api/settings/reviewer': 'admin',
  'POST /api/settings/reviewer': 'admin',
  'POST /api/settings/reviewer/:username/reset-password': 'admin',
  'DELETE /api/settings/reviewer/:username': 'admin',
  'POST /api/settings/doctor/run': 'admin',
  'GET /api/wecom/subscription-departments': 'editor',
  'GET /api/reports/:reportId/subscriptions': 'editor',
  'POST /api/reports/:reportId/subscriptions': 'editor',
  'PUT /api/reports/:reportId/subscriptions/:subscriptionId': 'editor',
  'DELETE /api/reports/:reportId/subscriptions/:subscriptionId': 'editor',
  'POST /api/reports/:reportId/subscriptions/:subscriptionId/send': 'editor',
  'GET /api/reports/:reportId/subscriptions/:subscriptionId/sends': 'editor',
};

type Caller = 'anonymous' | 'viewer' | 'editor' | 'admin' | 'otherViewer';

/** What a caller must get from a route of each access level: 'deny' = 401/403, 'allow' = neither. */
function expectation(access: Access, caller: Caller): 401 | 403 | 'allow' {
  if (access === 'public') return 'allow';
  if (caller === 'anonymous') return 401;
  if (access === 'user') return 'allow';
  if (access === 'report') return caller === 'otherViewer' ? 403 : 'allow';
  if (access === 'editor') return caller === 'viewer' || caller === 'otherViewer' ? 403 : 'allow';
  return caller === 'admin' ? 'allow' : 403;
}

let t: TestApp;
let routes: RouteDef[];
const headers: Record<Caller, Record<string, string>> = {} as never;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  routes = t.app.routeTable;
  headers.anonymous = {};
  for (const role of ['viewer', 'editor', 'admin'] as const) headers[role] = (await t.user(role)).headers;
  headers.otherViewer = (await t.user('viewer')).headers;
  const viewer = await t.deps.sessions.authenticate(headers.viewer.authorization!.slice(7));
  // The granted report: viewer sees it, otherViewer does not.
  ids.reportId = newId();
  await t.deps.db
    .insertInto('reports')
    .values({ id: ids.reportId, name: 'granted', description: null, definition_json: '{"widgets":[],"filters":[]}', created_by: null, created_at: nowIso(), updated_at: nowIso() })
    .execute();
  await t.deps.db.insertInto('report_grants').values({ report_id: ids.reportId, subject_type: 'user', subject_id: viewer!.id, created_at: nowIso() }).execute();
});
afterAll(async () => t?.close());

const fill = (url: string) => url.replace(/:([A-Za-z]+)/g, (_, name: string) => ids[name] ?? 'no-such-id');
const SAFE = new Set(['GET', 'HEAD']);

describe('authorization matrix', () => {
  it('every route has an entry and declares the expected access', () => {
    const declared = Object.fromEntries(routes.map((r) => [`${r.method} ${r.url}`, r.access]));
    const missing = Object.keys(declared).filter((k) => !(k in EXPECTED));
    expect(missing, 'routes without an entry in EXPECTED').toEqual([]);
    expect(declared).toEqual(EXPECTED);
  });

  for (const caller of ['anonymous', 'viewer', 'otherViewer', 'editor', 'admin'] as const) {
    it(`${caller}: refused exactly where the table says`, async () => {
      const wrong: string[] = [];
      for (const r of routes) {
        const want = expectation(r.access, caller);
        // Writes without a body would really run for an allowed caller; their denial is what matters here.
        if (want === 'allow' && !SAFE.has(r.method) && !r.body) continue;
        const res = await t.app.inject({
          method: r.method,
          url: fill(r.url),
          headers: headers[caller],
          ...(SAFE.has(r.method) ? {} : { payload: {} }),
        });
        const got = res.statusCode;
        const ok = want === 'allow' ? got !== 401 && got !== 403 && got < 500 : got === want;
        if (!ok) wrong.push(`${r.method} ${r.url}: expected ${want}, got ${got} ${res.body.slice(0, 120)}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
