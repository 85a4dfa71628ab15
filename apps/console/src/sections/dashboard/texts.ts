/** The dashboard's texts (namespace `dashboard`), zh-CN first. */
export const zhCN = {
  menu: '数据看板',
  title: '数据看板',
  asOf: '数据截至 {{when}}',
  noData: '暂无数据',
  today: {
    title: '今日（{{day}}）', claims: '领券（份）', vouchersIssued: '发券（张）', redemptions: '核销（笔）', reversals: '撤销（笔）',
    orderTotal: '拉动消费', subsidy: '财政补贴', leverage: '今日拉动比', periodLeverage: '近 {{days}} 天拉动比',
  },
  budget: { title: '进行中活动的预算', used: '已用', of: '已用 {{used}} / 预算 {{budget}}，剩余 {{remaining}}', none: '没有进行中的活动' },
  daily: { title: '每日领券与核销', claims: '领券（份）', redemptions: '核销（笔）' },
  byCategory: { title: '各行业拉动比' },
  byCounty: { title: '各区县拉动比' },
  leverage: '拉动比',
  top: { title: '核销金额最高的商户', merchant: '商户', redemptions: '核销笔数', orderTotal: '订单金额', subsidy: '财政补贴', leverage: '拉动比' },
};

export const en: typeof zhCN = {
  menu: 'Dashboard',
  title: 'Dashboard',
  asOf: 'Figures as of {{when}}',
  noData: 'No data yet',
  today: {
    title: 'Today ({{day}})', claims: 'Claims (packs)', vouchersIssued: 'Vouchers issued', redemptions: 'Redemptions', reversals: 'Reversals',
    orderTotal: 'Consumption driven', subsidy: 'Subsidy', leverage: "Today's leverage", periodLeverage: 'Leverage, last {{days}} days',
  },
  budget: { title: 'Budgets of running campaigns', used: 'Used', of: '{{used}} used of {{budget}}, {{remaining}} left', none: 'No campaign is running' },
  daily: { title: 'Claims and redemptions per day', claims: 'Claims (packs)', redemptions: 'Redemptions' },
  byCategory: { title: 'Leverage by category' },
  byCounty: { title: 'Leverage by county' },
  leverage: 'Leverage',
  top: { title: 'Top merchants by order total', merchant: 'Merchant', redemptions: 'Redemptions', orderTotal: 'Orders', subsidy: 'Subsidy', leverage: 'Leverage' },
};
