/** Chinese by default; English when the phone's language is English. */
const zh = {
  domainTitle: '连接数览',
  domainHint: '请输入公司数览地址，例如 https://bi.example.com',
  domainHttps: '地址必须以 https:// 开头（微信小程序只能访问 https 地址）',
  domainInvalid: '地址格式不正确',
  domainConsole: '只有在本小程序后台“开发设置 → 服务器域名”中配置为 request 合法域名的地址才能连接。连接成功后会记住地址，下次无需再输入。',
  domainUnreachable: '无法连接该地址：请确认地址正确、服务器在线',
  domainNotShulan: '该地址不是数览服务器：请向贵企业管理员确认地址',
  domainNotAllowed: '该地址不在本小程序的 request 合法域名中：只能使用管理员在小程序后台配置的域名',
  introTitle: '企业数据报表',
  introScope: '本小程序是{org}的内部数据报表工具，仅供{org}员工查看本企业的报表，不对外开放注册。',
  introScopeGeneric: '本小程序是企业内部数据报表工具，仅供部署了数览的企业的员工查看本企业的报表，不对外开放注册。',
  introAccount: '如何获得账号：账号由贵企业的数览管理员分配。在企业微信中打开本小程序时，用账号绑定一次，之后免密查看。',
  introLogin: '账号登录',
  notNow: '暂不登录',
  loginToOpen: '请先登录，登录后将打开分享给你的报表',
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
  roleAdmin: '管理员',
  roleEditor: '编辑者',
  roleViewer: '查看者',
  server: '服务器',
  loading: '加载中…',
  updated: '数据已更新',
  loadMore: '加载更多',
  viewRows: '查看明细',
  fullscreen: '全屏',
  updateTitle: '发现新版本',
  updateReady: '新版本已下载，是否重启使用？',
};
type Dict = typeof zh;
const en: Dict = {
  domainTitle: 'Connect to Shulan',
  domainHint: "Enter your company's Shulan address, e.g. https://bi.example.com",
  domainHttps: 'The address must start with https:// (mini programs can only reach https addresses)',
  domainInvalid: 'That is not a valid address',
  domainConsole: 'Only an address configured as a request domain in this mini program\'s console (Development settings → Server domains) can work. Once connected, the address is remembered.',
  domainUnreachable: 'Cannot reach that address; check it and that the server is up',
  domainNotShulan: 'That address is not a Shulan server; ask your administrator for the right one',
  domainNotAllowed: 'That address is not a request domain of this mini program; only the domains your administrator configured can be used',
  introTitle: 'Company reports',
  introScope: 'This mini program is the internal reporting tool of {org}, for {org} employees only, to read the company\'s reports. There is no public sign-up.',
  introScopeGeneric: 'This mini program is an internal reporting tool, for employees of companies that run Shulan only, to read their company\'s reports. There is no public sign-up.',
  introAccount: 'How to get an account: your company\'s Shulan administrator gives you one. Opened inside WeCom, link it once and read reports without a password afterwards.',
  introLogin: 'Log in with account',
  notNow: 'Not now',
  loginToOpen: 'Log in first; the report shared with you opens afterwards',
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
  roleAdmin: 'Administrator',
  roleEditor: 'Editor',
  roleViewer: 'Viewer',
  server: 'Server',
  loading: 'Loading…',
  updated: 'Data updated',
  loadMore: 'Load more',
  viewRows: 'View rows',
  fullscreen: 'Full screen',
  updateTitle: 'New version',
  updateReady: 'A new version is ready. Restart to use it?',
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
