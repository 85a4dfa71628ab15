/** The staff section's texts (namespace `staff`), zh-CN first. */
export const zhCN = {
  menu: '员工账号',
  title: '员工账号',
  roles: { city_admin: '市级管理员', county_admin: '区县管理员', finance: '财务', auditor: '审计（只读）', merchant_admin: '商户管理员', cashier: '收银员' },
  columns: { username: '登录账号', displayName: '姓名', role: '角色', unit: '所属单位', status: '状态', created: '创建时间', actions: '操作' },
  filters: { role: '角色', county: '区县' },
  active: '正常', disabled: '已停用',
  create: '新建账号', created: '已创建 {{name}}。',
  fields: {
    username: '登录账号', usernameHelp: '3–32 位小写字母、数字、点、下划线或短横线',
    displayName: '姓名', password: '初始密码', passwordHelp: '至少 10 位', role: '角色', county: '区县', countyHelp: '区县管理员必填',
    merchant: '商户', merchantHelp: '商户管理员、收银员必填；输入名称搜索',
  },
  rename: '改名', save: '保存',
  disable: '停用', enable: '启用',
  disableWhat: '停用 {{name}}（{{username}}）？停用后不能登录，已登录的会话立即失效。',
  enableWhat: '启用 {{name}}（{{username}}）？',
  reset: '重置密码', resetWhat: '为 {{name}}（{{username}}）设置新密码；该账号已登录的会话立即失效。', newPassword: '新密码（至少 10 位）',
  noRoleChange: '角色和所属单位创建后不能修改：如需调整，请停用此账号并新建一个。',
};

export const en: typeof zhCN = {
  menu: 'Staff accounts',
  title: 'Staff accounts',
  roles: { city_admin: 'City admin', county_admin: 'County admin', finance: 'Finance', auditor: 'Auditor (read-only)', merchant_admin: 'Merchant admin', cashier: 'Cashier' },
  columns: { username: 'Login', displayName: 'Name', role: 'Role', unit: 'Unit', status: 'Status', created: 'Created', actions: 'Actions' },
  filters: { role: 'Role', county: 'County' },
  active: 'Active', disabled: 'Disabled',
  create: 'New account', created: '{{name}} created.',
  fields: {
    username: 'Login', usernameHelp: '3–32 lower-case letters, digits, ".", "_" or "-"',
    displayName: 'Name', password: 'First password', passwordHelp: '10 characters or more', role: 'Role', county: 'County', countyHelp: 'Required for a county admin',
    merchant: 'Merchant', merchantHelp: 'Required for a merchant admin or cashier; type to search',
  },
  rename: 'Rename', save: 'Save',
  disable: 'Disable', enable: 'Enable',
  disableWhat: 'Disable {{name}} ({{username}})? The account cannot log in and its sessions end at once.',
  enableWhat: 'Enable {{name}} ({{username}})?',
  reset: 'Reset password', resetWhat: 'Set a new password for {{name}} ({{username}}); its sessions end at once.', newPassword: 'New password (10+ characters)',
  noRoleChange: 'Role and unit are fixed when an account is made: to change them, disable the account and make a new one.',
};
