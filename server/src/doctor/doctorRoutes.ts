import { DoctorRunBodySchema, type DoctorReport } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { route, type RouteDef } from '../http/route.js';
import { runDoctor, toReport } from './runDoctor.js';

/** 系统设置 → 上线检查: `shulan doctor` run by the server, the outside checks from where it stands. */
export function doctorRoutes(deps: Deps): RouteDef[] {
  return [
    route({
      method: 'POST',
      url: '/api/settings/doctor/run',
      access: 'admin',
      tag: 'settings',
      summary: 'Go-live check of the public domain and the WeCom set-up: each check ok/warn/fail/skip with what to do',
      body: DoctorRunBodySchema,
      async handler({ body, lang }): Promise<DoctorReport> {
        return toReport(await runDoctor(deps, { url: body.url, ...(body.released === undefined ? {} : { released: body.released }) }), lang);
      },
    }),
  ];
}
