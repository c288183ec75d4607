import type { SiteInfo } from '@shulan/shared';
import { currentLang } from '../utils/i18n';

export type ProbeResult =
  | { ok: true; site: SiteInfo }
  | { ok: false; reason: 'not_shulan' | 'unreachable' | 'network_down' | 'not_allowed' };

function isSiteInfo(v: unknown): v is SiteInfo {
  const s = v as Partial<SiteInfo> | null;
  return typeof s === 'object' && s !== null && typeof s.name === 'string' && typeof s.version === 'string' && typeof s.wecomLogin === 'boolean';
}

/**
 * Asks `<domain>/api/site` before the domain page saves an address. Unlike request() it tells apart
 * an address WeChat refuses (not a request domain of this mini program), a server that does not
 * answer, and one that answers but is not Shulan, because each needs a different fix.
 */
export function probeSite(domain: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    wx.request({
      url: `${domain}/api/site`,
      method: 'GET',
      dataType: 'json',
      header: { 'Accept-Language': currentLang() === 'en' ? 'en' : 'zh-CN' },
      success(res) {
        const body = res.data as { data?: unknown } | null;
        if (res.statusCode === 200 && typeof body === 'object' && body !== null && isSiteInfo(body.data)) resolve({ ok: true, site: body.data });
        else resolve({ ok: false, reason: 'not_shulan' });
      },
      fail(err) {
        // WeChat's own refusal: "request:fail url not in domain list".
        if (/domain list/i.test(err?.errMsg ?? '')) {
          resolve({ ok: false, reason: 'not_allowed' });
          return;
        }
        wx.getNetworkType({
          success: (r) => resolve({ ok: false, reason: r.networkType === 'none' ? 'network_down' : 'unreachable' }),
          fail: () => resolve({ ok: false, reason: 'unreachable' }),
        });
      },
    });
  });
}
