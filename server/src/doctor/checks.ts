import { DOCTOR_CHECKS } from '@shulan/shared';
import { instancesCheck, redisCheck } from './clusterChecks.js';
import { certificateExpiryCheck, certificateNameCheck, certificateTrustCheck } from './certificateChecks.js';
import { dnsCheck } from './dnsCheck.js';
import { browserRefusedCheck, liveSocketCheck, miniProgramAdmittedCheck } from './gateChecks.js';
import { portsCheck } from './portsCheck.js';
import { reviewerCheck } from './reviewerCheck.js';
import { tlsVersionsCheck } from './tlsVersionsCheck.js';
import type { DoctorCheck } from './types.js';
import { verificationFilesCheck } from './verificationFilesCheck.js';
import { wecomIntegrationCheck, wecomSyncCheck } from './wecomChecks.js';

/**
 * Every check, in the order they run and print: the public domain from outside (DNS, TLS, ports,
 * the gate), then Shulan's own data (WeCom, the sync, the reviewer account).
 */
export const CHECKS: readonly DoctorCheck[] = [
  dnsCheck,
  certificateTrustCheck,
  certificateNameCheck,
  certificateExpiryCheck,
  tlsVersionsCheck,
  portsCheck,
  verificationFilesCheck,
  browserRefusedCheck,
  miniProgramAdmittedCheck,
  liveSocketCheck,
  wecomIntegrationCheck,
  wecomSyncCheck,
  reviewerCheck,
  redisCheck,
  instancesCheck,
];

// The shared list (web page, API type) and this table must name the same checks in the same order.
if (CHECKS.map((c) => c.id).join() !== DOCTOR_CHECKS.join()) throw new Error('doctor: CHECKS and DOCTOR_CHECKS differ');
