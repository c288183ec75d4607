import { bindAndLogin, fetchSite, isWecom, loginWithPassword, loginWithWecom } from '../../services/auth';
import { INTRO, landingUrl, scopeText } from '../../services/entry';
import { isApiError } from '../../services/request';
import { currentDomain, isDomainBaked } from '../../utils/domain';
import { t, texts } from '../../utils/i18n';
import { storage } from '../../utils/storage';

function messageOf(err: unknown): string {
  return isApiError(err) ? err.message : t('unreachable');
}

/**
 * Inside WeCom: silent wx.qy.login on every launch (a disabled member is refused at once), the
 * account form only to bind once. Outside WeCom: the account form, or straight on with a saved session.
 * After login: a shared report that was waiting, else the reviewer's report, else home.
 * Who the app is for stays on screen, and "暂不登录" leaves for the intro page.
 */
Page({
  data: {
    t: texts(),
    siteName: '',
    scope: texts().introScopeGeneric,
    domain: '',
    canChangeDomain: !isDomainBaked(),
    wecomBusy: false,
    showForm: false,
    bindTicket: '',
    username: '',
    password: '',
    error: '',
    busy: false,
  },

  async onLoad(query: Record<string, string | undefined> = {}) {
    const domain = currentDomain();
    if (!domain) {
      void wx.reLaunch({ url: '/pages/domain/index' });
      return;
    }
    this.setData({ domain, error: storage.takeNotice() ?? '' });
    let wecomLogin = false;
    try {
      const site = await fetchSite();
      wecomLogin = site.wecomLogin;
      this.setData({ siteName: site.orgName || site.name, scope: scopeText(site.orgName ?? '') });
    } catch (err) {
      this.setData({ error: messageOf(err), showForm: true });
      return;
    }
    // After an explicit logout (`?manual=1`) the silent WeCom login would undo it at once.
    if (isWecom() && wecomLogin && query.manual !== '1') {
      await this.wecomLogin();
      return;
    }
    if (storage.token()) {
      void wx.reLaunch({ url: landingUrl() });
      return;
    }
    // Inside WeCom with the integration off: say why the password is asked for.
    if (isWecom() && !wecomLogin && !this.data.error) this.setData({ error: t('wecomOff') });
    this.setData({ showForm: true });
  },

  async wecomLogin() {
    this.setData({ wecomBusy: true });
    try {
      const res = await loginWithWecom();
      if (res.status === 'ok') {
        void wx.reLaunch({ url: landingUrl() });
        return;
      }
      this.setData({ bindTicket: res.bindTicket, showForm: true });
    } catch (err) {
      // Integration off, corp mismatch, member disabled…: the server's message says which.
      storage.clearSession();
      this.setData({ error: messageOf(err), showForm: !(isApiError(err) && err.code === 'forbidden') });
    } finally {
      this.setData({ wecomBusy: false });
    }
  },

  onUsername(e: WechatMiniprogram.Input) {
    this.setData({ username: e.detail.value });
  },
  onPassword(e: WechatMiniprogram.Input) {
    this.setData({ password: e.detail.value });
  },

  async onSubmit() {
    const { username, password, bindTicket } = this.data;
    if (!username.trim() || !password) {
      this.setData({ error: t('needCredentials') });
      return;
    }
    this.setData({ busy: true, error: '' });
    try {
      let startReportId: string | null = null;
      if (bindTicket) await bindAndLogin(bindTicket, username.trim(), password);
      else startReportId = (await loginWithPassword(username.trim(), password)).startReportId;
      this.setData({ password: '' });
      void wx.reLaunch({ url: landingUrl(startReportId) });
    } catch (err) {
      this.setData({ error: messageOf(err) });
    } finally {
      this.setData({ busy: false });
    }
  },

  onNotNow() {
    void wx.reLaunch({ url: `${INTRO}?stay=1` });
  },

  onChangeDomain() {
    void wx.reLaunch({ url: '/pages/domain/index?change=1' });
  },
});
