import type tls from 'node:tls';
import { msg } from '../errors.js';
import type { DoctorContext } from './DoctorContext.js';
import { fail, ok, warn, type DoctorCheck } from './types.js';

/** Whether the server completes a handshake within these versions. */
async function accepts(ctx: DoctorContext, min: tls.SecureVersion, max: tls.SecureVersion): Promise<boolean> {
  try {
    // SECLEVEL=0 lets this client offer the old versions, so a refusal is the server's.
    const s = await ctx.handshake({ minVersion: min, maxVersion: max, ciphers: 'DEFAULT@SECLEVEL=0' });
    s.destroy();
    return true;
  } catch {
    return false;
  }
}

export const tlsVersionsCheck: DoctorCheck = {
  id: 'tls_versions',
  title: msg('TLS 1.2 及以上，拒绝 TLS 1.0/1.1', 'TLS 1.2 or later; TLS 1.0/1.1 refused'),
  needs: 'https',
  async run(ctx) {
    const [v12, v13, old] = await Promise.all([accepts(ctx, 'TLSv1.2', 'TLSv1.2'), accepts(ctx, 'TLSv1.3', 'TLSv1.3'), accepts(ctx, 'TLSv1', 'TLSv1.1')]);
    const offered = [v12 ? 'TLS 1.2' : null, v13 ? 'TLS 1.3' : null].filter(Boolean).join(', ') || '—';
    const protocols = msg('nginx 中设置 ssl_protocols TLSv1.2 TLSv1.3;（shulan deploy nginx 生成的配置已是如此）', 'Set ssl_protocols TLSv1.2 TLSv1.3; in nginx (the configuration shulan deploy nginx writes does)');
    if (old) return fail(msg(`仍接受 TLS 1.0/1.1（支持：${offered}）`, `TLS 1.0/1.1 still accepted (offered: ${offered})`), protocols);
    if (!v12 && !v13) return fail(msg('TLS 1.2 和 1.3 都无法握手', 'Neither TLS 1.2 nor 1.3 completes a handshake'), protocols);
    if (!v12) return warn(msg('只支持 TLS 1.3：较旧的手机微信需要 TLS 1.2', 'TLS 1.3 only: older phones running WeChat need TLS 1.2'), protocols);
    return ok(msg(`支持 ${offered}，拒绝 TLS 1.0/1.1`, `Offers ${offered}; TLS 1.0/1.1 refused`));
  },
};
