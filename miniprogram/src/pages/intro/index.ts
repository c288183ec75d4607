import { fetchSite, isWecom } from '../../services/auth';
import { LOGIN, scopeText } from '../../services/entry';
import { currentDomain } from '../../utils/domain';
import { texts } from '../../utils/i18n';
import { storage } from '../../utils/storage';

/**
 * First page: who the app is for (the employees of the enterprise named by the server) before any
 * login, as WeChat's login rules require for apps limited to certain users; also where
 * "暂不登录" leads (`?stay=1`): what the app is for, how to get an account, a way back to log in.
 * With a session, or inside WeCom (passwordless), it goes straight on to the login page.
 */
Page({
  data: { t: texts(), orgName: '', scope: texts().introScopeGeneric, domain: '' },

  async onLoad(query: Record<string, string | undefined> = {}) {
    const domain = currentDomain();
    const stay = query.stay === '1';
    if (!domain && !stay) {
      void wx.reLaunch({ url: '/pages/domain/index' });
      return;
    }
    if (domain && !stay && (storage.token() || isWecom())) {
      void wx.reLaunch({ url: LOGIN });
      return;
    }
    this.setData({ domain: domain ?? '' });
    if (domain) {
      try {
        const site = await fetchSite();
        this.setData({ orgName: site.orgName ?? '', scope: scopeText(site.orgName ?? '') });
      } catch {
        // Unreachable now: the generic sentence still says who the app is for.
      }
    }
  },

  onLogin() {
    void wx.reLaunch({ url: currentDomain() ? LOGIN : '/pages/domain/index' });
  },
});
