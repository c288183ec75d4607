import { setUnauthorizedHandler } from './services/request';
import { storage } from './utils/storage';

App({
  onLaunch() {
    // An expired or revoked session anywhere sends the user back to login with the reason.
    setUnauthorizedHandler((message) => {
      storage.setNotice(message);
      void wx.reLaunch({ url: '/pages/login/index' });
    });
  },
});
