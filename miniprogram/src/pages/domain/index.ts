import { INTRO, LOGIN } from '../../services/entry';
import { probeSite, type ProbeResult } from '../../services/probe';
import { checkDomain, currentDomain } from '../../utils/domain';
import { t, texts, type TextKey } from '../../utils/i18n';
import { storage } from '../../utils/storage';

const REASONS: Record<Exclude<ProbeResult, { ok: true }>['reason'], TextKey> = {
  not_shulan: 'domainNotShulan',
  unreachable: 'domainUnreachable',
  network_down: 'networkDown',
  not_allowed: 'domainNotAllowed',
};

/**
 * The company's Shulan address, for the generic package only: one built with `--domain` (and the
 * admin download) knows it and never shows this page. Entered once, checked, remembered;
 * `?change=1` from the "me" page shows it again.
 */
Page({
  data: { t: texts(), domain: '', error: '', busy: false },

  onLoad(query: Record<string, string | undefined> = {}) {
    const known = currentDomain();
    if (known && query.change !== '1') {
      void wx.reLaunch({ url: LOGIN });
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
    // Only remember an address that answers like a Shulan server.
    const probe = await probeSite(checked.domain);
    this.setData({ busy: false });
    if (!probe.ok) {
      this.setData({ error: t(REASONS[probe.reason]) });
      return;
    }
    if (storage.domain() !== checked.domain) storage.clearSession();
    storage.setDomain(checked.domain);
    await wx.reLaunch({ url: LOGIN });
  },

  onNotNow() {
    void wx.reLaunch({ url: `${INTRO}?stay=1` });
  },
});
