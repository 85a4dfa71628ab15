/** The reports section's texts (namespace `reports`), zh-CN first. */
export const zhCN = {
  menu: '拉动报表',
  title: '拉动消费报表',
  hint: '拉动比 = 订单金额 ÷ 财政补贴（不含已撤销的核销）。日期为营业日（北京时间），含首尾两天。',
  by: { label: '统计维度', day: '按日', county: '按区县', category: '按行业', merchant: '按商户' },
  range: '营业日范围',
  columns: { day: '日期', county: '区县', category: '行业', merchant: '商户', redemptions: '核销笔数', orderTotal: '订单金额', discount: '优惠金额', subsidy: '财政补贴', leverage: '拉动比' },
  total: '合计',
  csv: '下载 CSV',
  xlsx: '下载 Excel',
  empty: '这段时间没有核销',
};

export const en: typeof zhCN = {
  menu: 'Leverage report',
  title: 'Leverage report',
  hint: 'Leverage = order totals ÷ subsidy, reversed redemptions left out. Dates are business days (Beijing time), both ends included.',
  by: { label: 'Rows by', day: 'Day', county: 'County', category: 'Category', merchant: 'Merchant' },
  range: 'Business days',
  columns: { day: 'Day', county: 'County', category: 'Category', merchant: 'Merchant', redemptions: 'Redemptions', orderTotal: 'Orders', discount: 'Discounts', subsidy: 'Subsidy', leverage: 'Leverage' },
  total: 'Total',
  csv: 'Download CSV',
  xlsx: 'Download Excel',
  empty: 'No redemptions in this period',
};
