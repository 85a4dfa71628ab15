/** The console shell's texts (namespace `console`), zh-CN first; each section brings its own namespace. */
export const zhCN = {
  app: { title: '消费券管理后台', owner: '市商务局', menu: '主菜单' },
  header: { signOut: '退出登录', account: '当前账号' },
  roles: {
    city_admin: '市级管理员',
    county_admin: '区县管理员',
    finance: '财务',
    auditor: '审计（只读）',
    merchant_admin: '商户管理员',
    cashier: '收银员',
    community_agent: '社区工作人员',
  },
  login: {
    title: '工作人员登录',
    hint: '商务局、财务、审计和社区工作人员用工作账号登录。商户和收银员请使用收银台。',
    username: '账号',
    password: '密码',
    required: '请输入{{what}}',
    submit: '登录',
    toTill: '商户账号请在收银台使用，正在前往收银台…',
  },
  home: {
    title: '欢迎，{{name}}',
    empty: '当前账号暂无可用的菜单。如需权限，请联系市商务局管理员。',
  },
  common: { loading: '加载中…' },
};

export const en: typeof zhCN = {
  app: { title: 'Voucher console', owner: 'City commerce bureau', menu: 'Main menu' },
  header: { signOut: 'Sign out', account: 'Signed in as' },
  roles: {
    city_admin: 'City admin',
    county_admin: 'County admin',
    finance: 'Finance',
    auditor: 'Auditor (read-only)',
    merchant_admin: 'Merchant admin',
    cashier: 'Cashier',
    community_agent: 'Community agent',
  },
  login: {
    title: 'Staff sign-in',
    hint: 'Bureau, finance, audit and community staff sign in with their work account. Merchants and cashiers use the till.',
    username: 'Account',
    password: 'Password',
    required: 'Enter the {{what}}',
    submit: 'Sign in',
    toTill: 'Merchant accounts work in the till: opening the till…',
  },
  home: {
    title: 'Welcome, {{name}}',
    empty: 'This account has no menu yet. Ask a city admin of the bureau for access.',
  },
  common: { loading: 'Loading…' },
};
