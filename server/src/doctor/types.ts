import type { DoctorCheckId, DoctorStatus } from '@shulan/shared';
import type { Msg } from '../errors.js';
import type { DoctorContext } from './DoctorContext.js';

/** What one check found, in both languages; `fix` says what to do whenever the status is not ok. */
export interface Outcome {
  status: DoctorStatus;
  detail: Msg;
  fix: Msg | null;
}

export const ok = (detail: Msg): Outcome => ({ status: 'ok', detail, fix: null });
export const warn = (detail: Msg, fix: Msg): Outcome => ({ status: 'warn', detail, fix });
export const fail = (detail: Msg, fix: Msg): Outcome => ({ status: 'fail', detail, fix });
export const skip = (detail: Msg): Outcome => ({ status: 'skip', detail, fix: null });

export interface DoctorCheck {
  id: DoctorCheckId;
  title: Msg;
  /**
   * What must work before the check means anything: the name resolves (`dns`), or an HTTPS
   * connection comes up (`https`). When it does not, the check is skipped, not failed twice.
   */
  needs?: 'dns' | 'https';
  run(ctx: DoctorContext): Promise<Outcome>;
}

export interface CheckResult extends Outcome {
  id: DoctorCheckId;
  title: Msg;
}
