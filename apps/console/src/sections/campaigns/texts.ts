/** The campaigns section's texts (namespace `campaigns`), zh-CN first. */
export const zhCN = {
  menu: '活动管理',
  list: {
    title: '活动列表', new: '新建活动', inbox: '待我审批', status: '状态', scope: '范围', all: '全部',
    cityWide: '全市', code: '编号', name: '名称', budget: '预算', window: '活动时间', updated: '更新时间', empty: '没有符合条件的活动',
  },
  status: {
    draft: '草稿', pending_approval: '待审批', published: '已发布', running: '进行中', ended: '已结束', archived: '已归档',
  },
  kind: { threshold: '满减', fixed: '直减', percentage: '折扣' },
  mode: { first_come: '先到先得', lottery: '抽签' },
  validity: { fixed_window: '固定时间段', days_from_claim: '领取后若干天' },
  steps: {
    basics: '基本信息与预算', scope: '范围', voucherTypes: '券种', rounds: '场次与库存', limits: '限领规则', merchants: '商户范围', submit: '核对并提交',
  },
  editor: {
    newTitle: '新建活动', editTitle: '编辑活动：{{name}}', saveNext: '保存，下一步', back: '上一步',
    notDraft: '只有草稿可以修改。这个活动当前状态为「{{status}}」。',
    rejected: '上次审批被驳回：{{note}}',
  },
  basics: {
    code: '活动编号', codeHelp: '2–32 位大写字母、数字或短横线，创建后不能修改', name: '活动名称', budget: '补贴预算',
    beyond: '允许超发', beyondHelp: '发券总额可超过预算；核销到预算用完即停止', startsAt: '开始时间', endsAt: '结束时间（不含）',
  },
  scope: {
    scope: '活动范围', countyHelp: '区县管理员只能建本区县的活动', counties: '可参与的区县', countiesHelp: '不选：范围内全部区县',
    categories: '可参与的行业', categoriesHelp: '不选：全部行业',
  },
  types: {
    add: '添加券种', name: '券种名称', kind: '优惠方式', threshold: '使用门槛', discount: '减免金额', percentOff: '折扣（减百分之几）',
    cap: '单张最高优惠', categories: '限用行业', categoriesHelp: '不选：活动可参与的全部行业', validityKind: '有效期', validFrom: '生效时间',
    validUntil: '失效时间（不含）', validDays: '领取后有效天数', share: '财政承担比例（%）', shareHelp: '其余由商户让利承担',
    rule: '规则', maxSubsidy: '单张最高补贴', remove: '删除', removeConfirm: '删除券种「{{name}}」？', none: '还没有券种，请先添加。',
    ruleThreshold: '满{{threshold}}减{{discount}}', ruleFixed: '直减{{discount}}', rulePercent: '{{percent}}% off，最高减{{cap}}',
    days: '领取后 {{days}} 天',
  },
  rounds: {
    add: '添加场次', name: '场次名称', mode: '方式', opensAt: '开抢时间', closesAt: '结束时间（不含）', drawAt: '开奖时间',
    offers: '券包', offer: '券包 {{n}}', offerName: '券包名称', stock: '库存（份）', type: '券种', quantity: '张数',
    addOffer: '添加券包', addItem: '添加券种', removeOffer: '删除券包', removeItem: '删除', removeConfirm: '删除场次「{{name}}」？',
    none: '还没有场次。', needTypes: '请先添加券种，再添加场次。', paused: '已暂停',
  },
  limits: {
    perPerson: '每人整个活动限领（份）', perPersonPerRound: '每人每场限领（份）', perPersonPerDay: '每人每天限领（份）',
    merchantDailyRedemptions: '每个商户每天最多核销（笔）', merchantDailySubsidyCap: '每个商户每天补贴上限', optional: '不填：不限',
  },
  merchants: {
    allow: '特许参与的商户', allowHelp: '不论行业和区县都可参与', deny: '排除的商户', denyHelp: '任何情况下都不能参与',
    aboveQuotaOnly: '只限限上企业', search: '输入商户名称搜索',
  },
  submit: {
    worstCase: '最坏情况补贴', overBudget: '最坏情况超过预算（已允许超发）',
    submit: '提交审批', incomplete: '提交前需要至少一个券种和一个场次。',
  },
  detail: {
    edit: '编辑', config: '活动配置', types: '券种', rounds: '场次与券包', counties: '区县', categories: '行业', allCounties: '全部', allCategories: '全部',
    allow: '特许商户', deny: '排除商户', aboveQuotaOnly: '只限限上企业', yes: '是', no: '否', version: '版本',
    limits: '限领规则', perPerson: '每人 {{n}} 份', perRound: '每场 {{n}} 份', perDay: '每天 {{n}} 份',
    merchantDaily: '商户每天 {{n}} 笔', merchantCap: '商户每天补贴 {{cap}}',
  },
  review: {
    title: '审批', changes: '提交审批前的变更记录', noAudit: '当前账号不能查看审计日志，请根据上方配置审批。', noChanges: '没有变更记录',
    at: '时间', actor: '操作人', action: '操作', what: '变更内容', created: '新建', approve: '批准并发布', reject: '驳回',
    rejectTitle: '驳回这个活动？', reason: '驳回原因', reasonRequired: '请填写驳回原因', approveTitle: '批准并发布「{{name}}」？',
    approveHelp: '发布后，场次会按时开抢。', approved: '已批准并发布', rejectedDone: '已驳回，活动回到草稿',
    ownChange: '你参与了这个活动的配置，按双人复核规则不能由你审批。',
    fieldEligibility: '参与范围', nothing: '保存，无变化', fieldStatus: '状态', added: '新增 {{names}}', removed: '删除 {{names}}', changedParts: '修改 {{names}}',
  },
  actions: {
    'campaign.create': '新建活动', 'campaign.update': '修改活动', 'campaign.submit': '提交审批', 'campaign.approve': '批准',
    'campaign.reject': '驳回', 'campaign.voucher_type.create': '添加券种', 'campaign.voucher_type.update': '修改券种',
    'campaign.voucher_type.delete': '删除券种', 'campaign.round.create': '添加场次', 'campaign.round.update': '修改场次',
    'campaign.round.delete': '删除场次', 'campaign.pause': '暂停', 'campaign.resume': '恢复', 'campaign.extend': '延期',
    'campaign.offer.stock': '追加库存', 'campaign.archive': '归档',
  },
  ops: {
    pause: '暂停活动', pauseTitle: '暂停「{{name}}」的全部场次？', pauseHelp: '暂停期间居民不能领券，已领的券照常使用。',
    resume: '恢复活动', resumeTitle: '恢复「{{name}}」的全部场次？', extend: '延期', extendTitle: '把活动结束时间延后',
    newEnd: '新的结束时间', topUp: '追加库存', topUpTitle: '追加「{{offer}}」的库存', newStock: '新的库存（份）',
    newStockHelp: '当前 {{stock}} 份；只能增加，且不能超出预算', archive: '归档', archiveTitle: '归档「{{name}}」？',
    archiveHelp: '归档后活动只读，不能再修改。', done: '已完成', confirm: '确定', cancel: '取消',
  },
  inbox: { title: '待我审批', empty: '没有待审批的活动', review: '审批' },
};

export const en: typeof zhCN = {
  menu: 'Campaigns',
  list: {
    title: 'Campaigns', new: 'New campaign', inbox: 'Approval inbox', status: 'Status', scope: 'Scope', all: 'All',
    cityWide: 'City-wide', code: 'Code', name: 'Name', budget: 'Budget', window: 'Runs', updated: 'Updated', empty: 'No campaign matches',
  },
  status: {
    draft: 'Draft', pending_approval: 'Pending approval', published: 'Published', running: 'Running', ended: 'Ended', archived: 'Archived',
  },
  kind: { threshold: 'Spend & save (满减)', fixed: 'Fixed off (直减)', percentage: 'Percent off (折扣)' },
  mode: { first_come: 'First come', lottery: 'Lottery' },
  validity: { fixed_window: 'Fixed window', days_from_claim: 'Days from claim' },
  steps: {
    basics: 'Basics and budget', scope: 'Scope', voucherTypes: 'Voucher types', rounds: 'Rounds and stock', limits: 'Limits', merchants: 'Merchants', submit: 'Review and submit',
  },
  editor: {
    newTitle: 'New campaign', editTitle: 'Edit campaign: {{name}}', saveNext: 'Save and continue', back: 'Back',
    notDraft: 'Only drafts can be changed. This campaign is "{{status}}".',
    rejected: 'The last approval was refused: {{note}}',
  },
  basics: {
    code: 'Campaign code', codeHelp: '2–32 capitals, digits or "-"; permanent', name: 'Name', budget: 'Subsidy budget',
    beyond: 'Issue beyond budget', beyondHelp: 'Vouchers may exceed the budget; redemptions stop when it is used up', startsAt: 'Starts', endsAt: 'Ends (exclusive)',
  },
  scope: {
    scope: 'Scope', countyHelp: 'County admins create campaigns of their own county', counties: 'Eligible counties', countiesHelp: 'None: all of the scope',
    categories: 'Eligible categories', categoriesHelp: 'None: all categories',
  },
  types: {
    add: 'Add a voucher type', name: 'Name', kind: 'Discount', threshold: 'Minimum spend', discount: 'Discount', percentOff: 'Percent off',
    cap: 'Most off per voucher', categories: 'Categories', categoriesHelp: "None: all of the campaign's categories", validityKind: 'Validity', validFrom: 'Valid from',
    validUntil: 'Valid until (exclusive)', validDays: 'Days valid after the claim', share: 'Bureau share (%)', shareHelp: 'The merchant funds the rest',
    rule: 'Rule', maxSubsidy: 'Most subsidy per voucher', remove: 'Delete', removeConfirm: 'Delete the voucher type "{{name}}"?', none: 'No voucher type yet: add one first.',
    ruleThreshold: '{{discount}} off {{threshold}}', ruleFixed: '{{discount}} off', rulePercent: '{{percent}}% off, at most {{cap}}',
    days: '{{days}} days from the claim',
  },
  rounds: {
    add: 'Add a round', name: 'Round name', mode: 'Mode', opensAt: 'Opens', closesAt: 'Closes (exclusive)', drawAt: 'Draw',
    offers: 'Offers', offer: 'Offer {{n}}', offerName: 'Offer name', stock: 'Stock (packs)', type: 'Voucher type', quantity: 'Quantity',
    addOffer: 'Add an offer', addItem: 'Add a voucher type', removeOffer: 'Remove the offer', removeItem: 'Remove', removeConfirm: 'Delete the round "{{name}}"?',
    none: 'No round yet.', needTypes: 'Add a voucher type first, then rounds.', paused: 'Paused',
  },
  limits: {
    perPerson: 'Packs per person, whole campaign', perPersonPerRound: 'Packs per person per round', perPersonPerDay: 'Packs per person per day',
    merchantDailyRedemptions: 'Redemptions per merchant per day', merchantDailySubsidyCap: 'Subsidy per merchant per day', optional: 'Empty: no limit',
  },
  merchants: {
    allow: 'Merchants always admitted', allowHelp: 'Whatever their category or county', deny: 'Merchants never admitted', denyHelp: 'In any case',
    aboveQuotaOnly: 'Above-quota enterprises only', search: 'Type a merchant name',
  },
  submit: {
    worstCase: 'Worst-case subsidy', overBudget: 'The worst case exceeds the budget (issuing beyond it is allowed)',
    submit: 'Submit for approval', incomplete: 'Submitting needs a voucher type and a round.',
  },
  detail: {
    edit: 'Edit', config: 'Configuration', types: 'Voucher types', rounds: 'Rounds and offers', counties: 'Counties', categories: 'Categories', allCounties: 'All', allCategories: 'All',
    allow: 'Always admitted', deny: 'Never admitted', aboveQuotaOnly: 'Above-quota only', yes: 'Yes', no: 'No', version: 'Version',
    limits: 'Limits', perPerson: '{{n}} per person', perRound: '{{n}} per round', perDay: '{{n}} per day',
    merchantDaily: '{{n}} redemptions per merchant a day', merchantCap: '{{cap}} subsidy per merchant a day',
  },
  review: {
    title: 'Approval', changes: 'Changes before the submission', noAudit: 'This account cannot read the audit log: judge by the configuration above.', noChanges: 'No changes recorded',
    at: 'Time', actor: 'By', action: 'Action', what: 'Changed', created: 'Created', approve: 'Approve and publish', reject: 'Reject',
    rejectTitle: 'Reject this campaign?', reason: 'Reason', reasonRequired: 'Give a reason', approveTitle: 'Approve and publish "{{name}}"?',
    approveHelp: 'Once published, its rounds open on time.', approved: 'Approved and published', rejectedDone: 'Rejected: the campaign is a draft again',
    ownChange: 'You made or changed this campaign: under maker-checker another admin approves it.',
    fieldEligibility: 'Eligibility', nothing: 'Saved, nothing changed', fieldStatus: 'Status', added: 'added {{names}}', removed: 'removed {{names}}', changedParts: 'changed {{names}}',
  },
  actions: {
    'campaign.create': 'Created', 'campaign.update': 'Changed', 'campaign.submit': 'Submitted', 'campaign.approve': 'Approved',
    'campaign.reject': 'Rejected', 'campaign.voucher_type.create': 'Voucher type added', 'campaign.voucher_type.update': 'Voucher type changed',
    'campaign.voucher_type.delete': 'Voucher type deleted', 'campaign.round.create': 'Round added', 'campaign.round.update': 'Round changed',
    'campaign.round.delete': 'Round deleted', 'campaign.pause': 'Paused', 'campaign.resume': 'Resumed', 'campaign.extend': 'Extended',
    'campaign.offer.stock': 'Stock raised', 'campaign.archive': 'Archived',
  },
  ops: {
    pause: 'Pause', pauseTitle: 'Pause every round of "{{name}}"?', pauseHelp: 'No claims while paused; claimed vouchers stay usable.',
    resume: 'Resume', resumeTitle: 'Resume every round of "{{name}}"?', extend: 'Extend', extendTitle: 'Move the end of the campaign later',
    newEnd: 'New end', topUp: 'Top up stock', topUpTitle: 'Top up the stock of "{{offer}}"', newStock: 'New stock (packs)',
    newStockHelp: 'Now {{stock}}; it can only grow, within the budget', archive: 'Archive', archiveTitle: 'Archive "{{name}}"?',
    archiveHelp: 'An archived campaign is read-only.', done: 'Done', confirm: 'Confirm', cancel: 'Cancel',
  },
  inbox: { title: 'Approval inbox', empty: 'Nothing waits for approval', review: 'Review' },
};
