/** The audit section's texts (namespace `audit`), zh-CN first. */
export const zhCN = {
  menu: '审计日志',
  title: '审计日志',
  filters: {
    actor: '操作人', action: '操作', actionHelp: '完整操作名，或以“.”结尾的前缀（如 campaign.）', actionInvalid: '操作名只含小写字母、下划线和“.”', entityType: '对象类型', entityId: '对象 ID',
    from: '起始日期', to: '截止日期（含）', system: '系统',
  },
  columns: { at: '时间', actor: '操作人', action: '操作', entity: '对象', request: '请求 ID' },
  before: '变更前', after: '变更后', nothing: '（无）',
  chain: {
    title: '防篡改链', head: '链头', anchor: '最新锚点', genesis: '起始哈希', empty: '日志为空。', noAnchor: '还没有锚点。',
    anchored: '锚定条目 {{id}}', explain: '把链头或锚点（条目号和哈希）抄存到系统之外；日后用 npm run audit:verify -- --anchor 条目号=哈希 可证明此前的日志未被改动。',
  },
  roles: { system: '系统', city_admin: '市级管理员', county_admin: '区县管理员', finance: '财务', auditor: '审计', merchant_admin: '商户管理员', cashier: '收银员' },
};

export const en: typeof zhCN = {
  menu: 'Audit log',
  title: 'Audit log',
  filters: {
    actor: 'Actor', action: 'Action', actionHelp: 'A whole action, or a prefix ending in "." (campaign.)', actionInvalid: 'An action has lower-case letters, "_" and "." only', entityType: 'Entity type', entityId: 'Entity id',
    from: 'From', to: 'To (inclusive)', system: 'System',
  },
  columns: { at: 'Time', actor: 'Actor', action: 'Action', entity: 'Entity', request: 'Request id' },
  before: 'Before', after: 'After', nothing: '(none)',
  chain: {
    title: 'Tamper-evident chain', head: 'Head', anchor: 'Latest anchor', genesis: 'Genesis hash', empty: 'The log is empty.', noAnchor: 'No anchor yet.',
    anchored: 'Anchors entry {{id}}', explain: 'Copy the head or an anchor (entry and hash) out of the system; npm run audit:verify -- --anchor ID=HASH later proves the log up to it unchanged.',
  },
  roles: { system: 'System', city_admin: 'City admin', county_admin: 'County admin', finance: 'Finance', auditor: 'Auditor', merchant_admin: 'Merchant admin', cashier: 'Cashier' },
};
