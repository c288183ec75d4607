import tls from 'node:tls';
import { msg } from '../errors.js';
import type { DoctorContext } from './DoctorContext.js';
import { fail, ok, skip, warn, type DoctorCheck, type Outcome } from './types.js';

const DAY = 86_400_000;
/** Below this many days left the line turns into a warning, below FAIL_DAYS into a failure. */
const WARN_DAYS = 30;
const FAIL_DAYS = 7;

/** Signed by itself, or by a private root that came along in the chain. */
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const INCOMPLETE = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);
const OUT_OF_DATES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** The handshake, or the reason there is none, for the three certificate lines. */
async function certificate(ctx: DoctorContext): Promise<{ cert: tls.DetailedPeerCertificate; authorized: boolean; error: string | null } | Outcome> {
  const probe = await ctx.tlsProbe();
  if (!probe.connected) {
    return fail(
      msg(`无法与 ${ctx.host}:${ctx.port} 建立 TLS 连接（${probe.error}）`, `No TLS connection to ${ctx.host}:${ctx.port} (${probe.error})`),
      msg(
        '确认 nginx 在 443 端口以 TLS 监听（ssl_certificate 指向完整链），防火墙和云安全组对公网开放 443',
        'Make sure nginx listens with TLS on 443 (ssl_certificate pointing at the full chain) and the firewall and cloud security group open 443 to the internet',
      ),
    );
  }
  return { cert: probe.cert, authorized: probe.authorized, error: probe.authorizationError };
}

const isOutcome = (x: object): x is Outcome => 'status' in x;
const day = (d: Date) => d.toISOString().slice(0, 10);

export const certificateTrustCheck: DoctorCheck = {
  id: 'tls_certificate',
  title: msg('证书可信：链完整、不是自签名', 'Certificate trusted: full chain, not self-signed'),
  needs: 'dns',
  async run(ctx) {
    const c = await certificate(ctx);
    if (isOutcome(c)) return c;
    const issuer = c.cert.issuer?.CN ?? c.cert.issuer?.O ?? '?';
    if (c.authorized) return ok(msg(`由「${issuer}」签发，证书链完整`, `Issued by "${issuer}", chain complete`));
    if (c.error && SELF_SIGNED.has(c.error)) {
      const what =
        c.error === 'DEPTH_ZERO_SELF_SIGNED_CERT'
          ? msg('证书是自签名的', 'The certificate is self-signed')
          : msg(`证书由不受公众信任的自建 CA「${issuer}」签发`, `The certificate comes from "${issuer}", a self-made CA nobody else trusts`);
      return fail(
        msg(`${what.zh}（${c.error}）：微信拒绝这样的证书`, `${what.en} (${c.error}): WeChat refuses such certificates`),
        msg(
          '换成公共 CA 签发的证书（如 Let’s Encrypt，或云服务商的免费证书）',
          "Use a certificate from a public CA (e.g. Let's Encrypt, or your cloud provider's free certificate)",
        ),
      );
    }
    if (c.error && INCOMPLETE.has(c.error)) {
      return fail(
        msg(`证书链不完整或签发者不可信（${c.error}，签发者「${issuer}」）`, `Incomplete chain or untrusted issuer (${c.error}, issuer "${issuer}")`),
        msg(
          'ssl_certificate 要用包含中间证书的完整链（fullchain.pem，不是 cert.pem），然后 nginx -s reload',
          'Point ssl_certificate at the full chain including the intermediate certificates (fullchain.pem, not cert.pem), then nginx -s reload',
        ),
      );
    }
    if (c.error && OUT_OF_DATES.has(c.error)) {
      return skip(msg('证书不在有效期内，链无法检查：见“证书有效期”一项', 'The certificate is out of date, so its chain cannot be checked: see the validity line'));
    }
    return fail(
      msg(`证书未通过校验（${c.error ?? '?'}）`, `The certificate does not verify (${c.error ?? '?'})`),
      msg('换一张由公共 CA 签发、包含完整链的证书', 'Install a certificate from a public CA with its full chain'),
    );
  },
};

export const certificateNameCheck: DoctorCheck = {
  id: 'tls_name',
  title: msg('证书与域名相符', 'Certificate matches the name'),
  needs: 'dns',
  async run(ctx) {
    const c = await certificate(ctx);
    if (isOutcome(c)) return skip(msg('没有 TLS 连接：见上一项', 'No TLS connection: see above'));
    const names = c.cert.subjectaltname ?? `CN=${c.cert.subject?.CN ?? '?'}`;
    const mismatch = tls.checkServerIdentity(ctx.host, c.cert);
    if (!mismatch) return ok(msg(`证书包含 ${ctx.host}`, `The certificate covers ${ctx.host}`));
    return fail(
      msg(`证书不包含 ${ctx.host}，它是给 ${names} 的`, `The certificate does not cover ${ctx.host}; it is for ${names}`),
      msg(`为 ${ctx.host} 申请证书（或在 nginx 的这个 server 中用对证书）`, `Get a certificate for ${ctx.host} (or use the right one in this nginx server block)`),
    );
  },
};

export const certificateExpiryCheck: DoctorCheck = {
  id: 'tls_expiry',
  title: msg(`证书有效期（30 天内不过期）`, 'Certificate validity (not expiring within 30 days)'),
  needs: 'dns',
  async run(ctx) {
    const c = await certificate(ctx);
    if (isOutcome(c)) return skip(msg('没有 TLS 连接：见上一项', 'No TLS connection: see above'));
    const from = new Date(c.cert.valid_from);
    const to = new Date(c.cert.valid_to);
    const now = Date.now();
    const renew = msg(
      '续期证书并 nginx -s reload（certbot 用 systemctl list-timers 查看自动续期是否在运行）',
      'Renew the certificate and nginx -s reload (with certbot, systemctl list-timers shows whether automatic renewal runs)',
    );
    if (from.getTime() > now) {
      return fail(msg(`证书 ${day(from)} 才生效`, `The certificate is valid only from ${day(from)}`), msg('检查服务器时间，或换一张已生效的证书', "Check the server's clock, or install a certificate that is valid now"));
    }
    if (to.getTime() <= now) return fail(msg(`证书已于 ${day(to)} 过期`, `The certificate expired on ${day(to)}`), renew);
    const days = Math.floor((to.getTime() - now) / DAY);
    if (days < FAIL_DAYS) return fail(msg(`证书 ${day(to)} 过期，只剩 ${days} 天`, `The certificate expires on ${day(to)}, in ${days} days`), renew);
    if (days < WARN_DAYS) return warn(msg(`证书 ${day(to)} 过期，还有 ${days} 天`, `The certificate expires on ${day(to)}, in ${days} days`), renew);
    return ok(msg(`有效期至 ${day(to)}（还有 ${days} 天）`, `Valid until ${day(to)} (${days} days)`));
  },
};
