import type { DoctorReport } from '@shulan/shared';
import type { Deps } from '../deps.js';
import { msg } from '../errors.js';
import type { Lang } from '../http/route.js';
import { nowIso } from '../lib/ids.js';
import { CHECKS } from './checks.js';
import { DoctorContext, errorCode, type DoctorOptions } from './DoctorContext.js';
import { fail, skip, type CheckResult, type Outcome } from './types.js';

export interface DoctorResult {
  url: string;
  ranAt: string;
  /** No check failed (warnings allowed). */
  ok: boolean;
  checks: CheckResult[];
}

/**
 * Runs every check in order. A check whose prerequisite failed (the name does not resolve, no
 * HTTPS connection) is skipped rather than failed again; a check that throws is a failure with
 * the error, never an unhandled rejection.
 */
export async function runDoctor(deps: Deps, opts: DoctorOptions): Promise<DoctorResult> {
  const ctx = new DoctorContext(deps, opts);
  const checks: CheckResult[] = [];
  for (const check of CHECKS) {
    let outcome: Outcome;
    try {
      outcome = (await unmet(ctx, check.needs)) ?? (await check.run(ctx));
    } catch (err) {
      outcome = fail(msg(`检查出错：${errorCode(err)}`, `The check itself failed: ${errorCode(err)}`), msg('把这条信息发给维护数览的人', 'Send this line to whoever maintains Shulan'));
    }
    checks.push({ id: check.id, title: check.title, ...outcome });
  }
  return { url: ctx.url.origin, ranAt: nowIso(), ok: checks.every((c) => c.status !== 'fail'), checks };
}

async function unmet(ctx: DoctorContext, needs: 'dns' | 'https' | undefined): Promise<Outcome | null> {
  if (!needs) return null;
  try {
    await ctx.addresses();
  } catch {
    return skip(msg('未检查：域名无法解析', 'Not checked: the name does not resolve'));
  }
  if (needs === 'https' && !(await ctx.tlsProbe()).connected) return skip(msg('未检查：没有 HTTPS 连接', 'Not checked: no HTTPS connection'));
  return null;
}

/** The report in one language, for the API and the web page. */
export function toReport(r: DoctorResult, lang: Lang): DoctorReport {
  return {
    url: r.url,
    ranAt: r.ranAt,
    ok: r.ok,
    checks: r.checks.map((c) => ({ id: c.id, status: c.status, title: c.title[lang], detail: c.detail[lang], fix: c.fix?.[lang] ?? null })),
  };
}
