import { z } from 'zod';

/**
 * Every check of `shulan doctor` and of 系统设置 → 上线检查, in the order they run. The first
 * group looks at the public domain from outside, the last three at Shulan's own data.
 */
export const DOCTOR_CHECKS = [
  'dns',
  'tls_certificate',
  'tls_name',
  'tls_expiry',
  'tls_versions',
  'ports',
  'verification_files',
  'browser_refused',
  'mini_program_admitted',
  'live_socket',
  'wecom_integration',
  'wecom_sync',
  'reviewer',
  'redis',
  'instances',
] as const;
export type DoctorCheckId = (typeof DOCTOR_CHECKS)[number];

/** ok ✓, warn ! (worth knowing, not blocking), fail ✗ (blocks going live), skip – (a check above failed first). */
export type DoctorStatus = 'ok' | 'warn' | 'fail' | 'skip';

/**
 * The public address of the mini program's server: https, a domain name (WeChat takes no IP
 * addresses), an optional port, no path.
 */
export const DoctorUrlSchema = z
  .string()
  .trim()
  .max(300)
  .regex(/^https:\/\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}(:\d{1,5})?\/?$/i, {
    message: '应为小程序使用的 https 域名，例如 https://bi.example.com / must be the https domain of the mini program, e.g. https://bi.example.com',
  })
  .refine((v) => Number(/:(\d+)\/?$/.exec(v)?.[1] ?? 443) <= 65535, { message: '端口应在 1–65535 之间 / the port must be 1–65535' });

/** POST /api/settings/doctor/run. `released` omitted: expect the reviewer account as 微信审核测试账号 says. */
export const DoctorRunBodySchema = z.strictObject({
  url: DoctorUrlSchema,
  released: z.boolean().optional(),
});
export type DoctorRunBody = z.infer<typeof DoctorRunBodySchema>;

export interface DoctorCheckView {
  id: DoctorCheckId;
  status: DoctorStatus;
  title: string;
  /** What was found. */
  detail: string;
  /** What to do; null when nothing is to be done. */
  fix: string | null;
}

export interface DoctorReport {
  url: string;
  ranAt: string;
  /** No check failed (warnings allowed). */
  ok: boolean;
  checks: DoctorCheckView[];
}
