/** Texts shared by the merchants, settlement, audit and staff sections (namespace `parts`), zh-CN first. */
export const zhCN = {
  confirm: { ok: '确认', cancel: '取消' },
  readOnly: '只读：您的角色可以查看，不能修改。',
  refresh: '刷新',
  search: '查询',
  reset: '重置',
  all: '全部',
  detail: '详情',
  none: '无',
  total: '共 {{total}} 条',
  loading: '加载中…',
};

export const en: typeof zhCN = {
  confirm: { ok: 'Confirm', cancel: 'Cancel' },
  readOnly: 'Read-only: your role may look, not change.',
  refresh: 'Refresh',
  search: 'Search',
  reset: 'Reset',
  all: 'All',
  detail: 'Details',
  none: 'None',
  total: '{{total}} in all',
  loading: 'Loading…',
};
