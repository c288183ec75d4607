import type { SessionUser } from '@shulan/shared';
import { logout } from '../../services/auth';
import { isApiError, request } from '../../services/request';
import { currentDomain, isDomainBaked } from '../../utils/domain';
import { texts } from '../../utils/i18n';
import { storage } from '../../utils/storage';

interface MobileMe {
  user: SessionUser;
  wecomUserid: string | null;
}

/** Who I am, the matched WeCom member, switch server, log out. */
Page({
  data: { t: texts(), user: storage.user(), wecomUserid: '', domain: currentDomain() ?? '', canChangeDomain: !isDomainBaked(), error: '' },

  async onLoad() {
    try {
      const me = await request<MobileMe>({ path: '/api/mobile/me' });
      this.setData({ user: me.user, wecomUserid: me.wecomUserid ?? '' });
    } catch (err) {
      this.setData({ error: isApiError(err) ? err.message : String(err) });
    }
  },

  async onSwitchDomain() {
    await logout().catch(() => undefined);
    void wx.reLaunch({ url: '/pages/domain/index?change=1' });
  },

  async onLogout() {
    await logout().catch(() => undefined);
    void wx.reLaunch({ url: '/pages/login/index?manual=1' });
  },
});
