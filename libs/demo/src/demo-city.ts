import { CountyKind } from '@quan/data';

/** The demo city's county-level units and functional zones, with their administrative division codes. */
export const COUNTIES: { code: string; name: string; kind: CountyKind; division: string }[] = [
  { code: 'hanbin', name: '汉滨区', kind: CountyKind.District, division: '610902' },
  { code: 'xunyang', name: '旬阳市', kind: CountyKind.CountyLevelCity, division: '610981' },
  { code: 'hanyin', name: '汉阴县', kind: CountyKind.County, division: '610921' },
  { code: 'shiquan', name: '石泉县', kind: CountyKind.County, division: '610922' },
  { code: 'ningshan', name: '宁陕县', kind: CountyKind.County, division: '610923' },
  { code: 'ziyang', name: '紫阳县', kind: CountyKind.County, division: '610924' },
  { code: 'langao', name: '岚皋县', kind: CountyKind.County, division: '610925' },
  { code: 'pingli', name: '平利县', kind: CountyKind.County, division: '610926' },
  { code: 'zhenping', name: '镇坪县', kind: CountyKind.County, division: '610927' },
  { code: 'baihe', name: '白河县', kind: CountyKind.County, division: '610929' },
  { code: 'gaoxin', name: '高新区', kind: CountyKind.FunctionalZone, division: '610902' },
  { code: 'hengkou', name: '恒口示范区', kind: CountyKind.FunctionalZone, division: '610902' },
];

export const CATEGORIES: { code: string; name: string; shopWords: string[] }[] = [
  { code: 'catering', name: '餐饮', shopWords: ['酒家', '面馆', '蒸面馆', '火锅店', '农家乐'] },
  { code: 'retail', name: '商超零售', shopWords: ['超市', '便利店', '百货', '购物中心'] },
  { code: 'appliances', name: '家电', shopWords: ['电器城', '家电卖场', '数码广场'] },
  { code: 'automobile', name: '汽车', shopWords: ['汽车销售服务公司', '4S店'] },
  { code: 'furniture', name: '家居', shopWords: ['家居馆', '建材家居城', '家具店'] },
  { code: 'tourism', name: '文旅娱乐', shopWords: ['旅行社', '影城', '民宿', '景区'] },
  { code: 'selenium', name: '富硒特产', shopWords: ['富硒茶庄', '特产店', '富硒食品行'] },
];

/** Invented shop-name prefixes in the region's vocabulary. */
export const NAME_PREFIXES = [
  '汉水',
  '秦巴',
  '安康',
  '金州',
  '瀛湖',
  '凤凰',
  '香溪',
  '富硒',
  '巴山',
  '月河',
  '南宫',
  '紫阳',
];

export const DEMO_PASSWORD = 'quan-demo-2026';
export const MERCHANTS_PER_COUNTY = 20;
export const PROVINCIAL_CAMPAIGN_CODE = 'QLG-07';
/** A lottery (摇号) campaign of the same phase, its registration open from start-up. */
export const LOTTERY_CAMPAIGN_CODE = 'QLG-07-YH';
/** The phase before it, ended, whose redemptions of one past business day the seed settles. */
export const SETTLED_CAMPAIGN_CODE = 'QLG-06';
