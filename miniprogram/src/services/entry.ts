import { t } from '../utils/i18n';
import { storage } from '../utils/storage';

/**
 * Where the app goes around login: the first page (who the app is for), the page after login
 * (a shared report waiting, the reviewer's report, else home).
 */
export const HOME = '/pages/home/index';
export const INTRO = '/pages/intro/index';
export const LOGIN = '/pages/login/index';
const REPORT = '/pages/report/index';

/** What a report link carries besides the id, each value URI-encoded: filters, drill paths, linkage. */
export interface ReportLinkParams {
  filters?: string | undefined;
  drill?: string | undefined;
  sel?: string | undefined;
}

export const reportUrl = (id: string, params: ReportLinkParams = {}): string =>
  `${REPORT}?id=${encodeURIComponent(id)}` +
  (['filters', 'drill', 'sel'] as const).map((k) => (params[k] ? `&${k}=${params[k]}` : '')).join('');

/** A report deep link opened without a session: remember it, log in, come back (its view kept). */
export function loginThenReturn(id: string, params: ReportLinkParams = {}): void {
  // Kept URI-encoded as in the share path, whether the runtime handed them over encoded or not.
  const encoded = (v: string | undefined) => (v && /^[[{]/.test(v) ? encodeURIComponent(v) : v);
  storage.setReturnTo(reportUrl(id, { filters: encoded(params.filters), drill: encoded(params.drill), sel: encoded(params.sel) }));
  storage.setNotice(t('loginToOpen'));
  void wx.reLaunch({ url: LOGIN });
}

/** The page to open once logged in; a waiting report link is used once. */
export function landingUrl(startReportId?: string | null): string {
  const back = storage.returnTo();
  storage.clearReturnTo();
  // Only a report link is ever stored; anything else (an old or altered value) is ignored.
  if (back && back.startsWith(`${REPORT}?`)) return back;
  return startReportId ? reportUrl(startReportId) : HOME;
}

/** "{org}" in a text, replaced everywhere. */
export const fill = (text: string, org: string): string => text.split('{org}').join(org);

/** The sentence saying who the app is for, with the company name when the admin has set it. */
export function scopeText(orgName: string): string {
  return orgName.trim() ? fill(t('introScope'), orgName.trim()) : t('introScopeGeneric');
}
