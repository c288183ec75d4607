import { fetchSite } from '../../services/auth';
import { isApiError } from '../../services/request';
import { checkDomain, currentDomain } from '../../utils/domain';
import { t, texts } from '../../utils/i18n';
import { storage } from '../../utils/storage';

/**
 * Entry page: the company's Shulan address. Skipped when the address is baked into the package
 * or was entered before (`?change=1` from the "me" page shows it again).
 */
Page({
  data: { t: texts(), domain: '', error: '', busy: false },

  onLoad(query: Record<string, string | undefined>) {
    const known = currentDomain();
    if (known && query.change !== '1') {
      void wx.reLaunch({ url: '/pages/login/index' });
      return;
    }
    this.setData({ domain: known ?? '' });
  },

  onInput(e: WechatMiniprogram.Input) {
    this.setData({ domain: e.detail.value, error: '' });
  },

  async onSubmit() {
    const checked = checkDomain(this.data.domain);
    if (!checked.ok) {
      this.setData({ error: t(checked.reason === 'https' ? 'domainHttps' : 'domainInvalid') });
      return;
    }
    this.setData({ busy: true, error: '' });
    try {
      // Only remember an address that answers like a Shulan server.
      await fetchSite(checked.domain);
      if (storage.domain() !== checked.domain) storage.clearSession();
      storage.setDomain(checked.domain);
      await wx.reLaunch({ url: '/pages/login/index' });
    } catch (err) {
      this.setData({ error: isApiError(err) ? err.message : t('unreachable') });
    } finally {
      this.setData({ busy: false });
    }
  },
});
