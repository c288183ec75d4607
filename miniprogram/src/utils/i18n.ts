/** Chinese by default; English when the phone's language is English. */
const zh = {
  domainTitle: '连接数览',
  domainHint: '请输入公司数览地址，例如 https://bi.example.com',
  domainHttps: '地址必须以 https:// 开头',
  domainInvalid: '地址格式不正确',
  connect: '连接',
  loginTitle: '登录',
  username: '用户名',
  password: '密码',
  login: '登录',
  bindHint: '首次在企业微信中使用，请用数览账号登录一次完成绑定，之后免密进入。',
  wecomLoggingIn: '正在通过企业微信登录…',
  needCredentials: '请输入用户名和密码',
  networkDown: '网络不可用，请检查网络后重试',
  unreachable: '无法连接服务器，请确认地址正确且服务器在线',
  sessionExpired: '登录已失效，请重新登录',
  wecomUnavailable: '当前企业微信环境无法获取登录凭证，请使用账号登录',
  wecomOff: '管理员尚未开启企业微信登录，请使用数览账号登录',
  search: '搜索报表',
  noReports: '暂无可查看的报表',
  recent: '最近查看',
  all: '全部报表',
  filters: '筛选',
  apply: '应用',
  reset: '重置',
  from: '开始日期',
  to: '结束日期',
  noData: '暂无数据',
  me: '我的',
  wecomIdentity: '企业微信身份',
  notMatched: '未匹配',
  switchDomain: '切换地址',
  logout: '退出登录',
  role: '角色',
  server: '服务器',
  loading: '加载中…',
  updated: '数据已更新',
  vsPreviousPeriod: '较上期',
  vsPreviousYear: '较去年同期',
  favorites: '收藏',
  noFavorites: '还没有收藏的报表，打开报表点 ☆ 收藏',
  favorite: '收藏',
  unfavorite: '取消收藏',
  offlineSince: '离线数据，更新于',
};
type Dict = typeof zh;
const en: Dict = {
  domainTitle: 'Connect to Shulan',
  domainHint: "Enter your company's Shulan address, e.g. https://bi.example.com",
  domainHttps: 'The address must start with https://',
  domainInvalid: 'That is not a valid address',
  connect: 'Connect',
  loginTitle: 'Log in',
  username: 'Username',
  password: 'Password',
  login: 'Log in',
  bindHint: 'First time in WeCom: log in once with your Shulan account to link it; afterwards no password is needed.',
  wecomLoggingIn: 'Logging in with WeCom…',
  needCredentials: 'Enter username and password',
  networkDown: 'No network connection; check it and try again',
  unreachable: 'Cannot reach the server; check the address and that the server is up',
  sessionExpired: 'Your session has ended; please log in again',
  wecomUnavailable: 'WeCom did not give a login code; use your account instead',
  wecomOff: 'WeCom login is not switched on by the administrator; log in with your Shulan account',
  search: 'Search reports',
  noReports: 'No reports to show',
  recent: 'Recently viewed',
  all: 'All reports',
  filters: 'Filters',
  apply: 'Apply',
  reset: 'Reset',
  from: 'From',
  to: 'To',
  noData: 'No data',
  me: 'Me',
  wecomIdentity: 'WeCom identity',
  notMatched: 'Not matched',
  switchDomain: 'Switch server',
  logout: 'Log out',
  role: 'Role',
  server: 'Server',
  loading: 'Loading…',
  updated: 'Data updated',
  vsPreviousPeriod: 'vs previous period',
  vsPreviousYear: 'vs same period last year',
  favorites: 'Favorites',
  noFavorites: 'No favorites yet: open a report and tap ☆',
  favorite: 'Add to favorites',
  unfavorite: 'Remove from favorites',
  offlineSince: 'Offline data, updated',
};

export type TextKey = keyof Dict;
export type Lang = 'zh' | 'en';

export function currentLang(): Lang {
  try {
    const language = wx.getSystemInfoSync().language || '';
    return language.toLowerCase().startsWith('en') ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function t(key: TextKey): string {
  return (currentLang() === 'en' ? en : zh)[key];
}

/** The whole dictionary, for `setData({ t: texts() })` so WXML can show `{{t.login}}`. */
export function texts(): Dict {
  return currentLang() === 'en' ? en : zh;
}
