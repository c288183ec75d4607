import { setUnauthorizedHandler } from './services/request';
import { t } from './utils/i18n';
import { storage } from './utils/storage';

/** WeChat downloads a new version in the background; ask before restarting into it. */
function promptForUpdates(): void {
  if (typeof wx.getUpdateManager !== 'function') return;
  const updates = wx.getUpdateManager();
  updates.onUpdateReady(() => {
    void wx.showModal({
      title: t('updateTitle'),
      content: t('updateReady'),
      success: (res) => {
        if (res.confirm) updates.applyUpdate();
      },
    });
  });
}

App({
  onLaunch() {
    // An expired or revoked session anywhere sends the user back to login with the reason.
    setUnauthorizedHandler((message) => {
      storage.setNotice(message);
      void wx.reLaunch({ url: '/pages/login/index' });
    });
    promptForUpdates();
  },
});
