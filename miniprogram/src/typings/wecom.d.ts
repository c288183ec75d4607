// miniprogram-api-typings has no `wx.qy` (WeCom-only APIs) and no `SystemInfo.environment`
// ('wxwork' only inside WeCom); this local augmentation adds the parts the app uses.
declare namespace WechatMiniprogram {
  interface QyLoginSuccess {
    code: string;
    errMsg: string;
  }
  interface QyLoginOption {
    timeout?: number;
    success?: (res: QyLoginSuccess) => void;
    fail?: (err: GeneralCallbackResult) => void;
    complete?: (res: GeneralCallbackResult) => void;
  }
  interface Qy {
    login(option: QyLoginOption): void;
  }
  interface Wx {
    /** Present only inside WeCom (企业微信). */
    qy?: Qy;
  }
  interface SystemInfo {
    /** 'wxwork' inside WeCom; absent in plain WeChat. */
    environment?: string;
  }
}
