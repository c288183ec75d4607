import type { SessionUser } from '@shulan/shared';
import { logout } from '../../services/auth';
import { isApiError, request } from '../../services/request';
import { currentDomain, isDomainBaked } from '../../utils/domain';
import { t, texts, type TextKey } from '../../utils/i18n';
import { storage } from '../../utils/storage';

interface MobileMe {
  user: SessionUser;
  wecomUserid: string | null;
}

const ROLE_TEXT: Record<SessionUser['role'], TextKey> = { admin: 'roleAdmin', editor: 'roleEditor', viewer: 'roleViewer' };
const roleName = (user: SessionUser | null) => (user ? t(ROLE_TEXT[user.role]) : '');

/** Who I am, the matched WeCom member, switch server, log out. */
Page({
  data: { t: texts(), user: null as SessionUser | null, roleName: '', wecomUserid: '', domain: '', canChangeDomain: !isDomainBaked(), error: '' },

  async onLoad() {
    // Read now, not when the module was evaluated: that was once per app run, before any
    // "切换地址" or logging in as someone else.
    const user = storage.user();
    this.setData({ user, roleName: roleName(user), domain: currentDomain() ?? '' });
    try {
      const me = await request<MobileMe>({ path: '/api/mobile/me' });
      this.setData({ user: me.user, roleName: roleName(me.user), wecomUserid: me.wecomUserid ?? '' });
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
