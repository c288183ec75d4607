import type { Field } from '@shulan/shared';

/** Columns of the sample table; the names are what users see in the editor. */
export const SAMPLE_FIELDS: Field[] = [
  { name: '日期', type: 'date' },
  { name: '区域', type: 'string' },
  { name: '城市', type: 'string' },
  { name: '产品类别', type: 'string' },
  { name: '产品', type: 'string' },
  { name: '销量', type: 'integer' },
  { name: '销售额', type: 'number' },
  // Last, so the positions of the older columns stay as they were.
  { name: '省份', type: 'string' },
];

const CITIES: Record<string, string[]> = {
  华东: ['上海', '杭州', '南京', '苏州'],
  华南: ['广州', '深圳', '厦门'],
  华北: ['北京', '天津', '石家庄'],
  西南: ['成都', '重庆', '昆明'],
  东北: ['沈阳', '大连', '哈尔滨'],
};
/** Official province names as business data spells them (the map matches 广东省 and 广东 alike). */
const PROVINCE_OF: Record<string, string> = {
  上海: '上海市', 杭州: '浙江省', 南京: '江苏省', 苏州: '江苏省', 广州: '广东省', 深圳: '广东省', 厦门: '福建省',
  北京: '北京市', 天津: '天津市', 石家庄: '河北省', 成都: '四川省', 重庆: '重庆市', 昆明: '云南省',
  沈阳: '辽宁省', 大连: '辽宁省', 哈尔滨: '黑龙江省',
};
/** Bigger regions sell more often, so the bar chart is not flat. */
const REGION_WEIGHTS: [string, number][] = [
  ['华东', 32],
  ['华南', 24],
  ['华北', 20],
  ['西南', 14],
  ['东北', 10],
];
const PRODUCTS: { category: string; name: string; price: number }[] = [
  { category: '办公用品', name: '签字笔', price: 5 },
  { category: '办公用品', name: '笔记本', price: 12 },
  { category: '办公用品', name: '文件夹', price: 8 },
  { category: '电子产品', name: '无线鼠标', price: 89 },
  { category: '电子产品', name: '机械键盘', price: 299 },
  { category: '电子产品', name: '显示器', price: 1299 },
  { category: '家具', name: '办公椅', price: 699 },
  { category: '家具', name: '书桌', price: 1099 },
  { category: '食品饮料', name: '咖啡豆', price: 98 },
  { category: '食品饮料', name: '绿茶', price: 45 },
];

export const SAMPLE_START = '2025-01-01';
const DAYS = 365;

/** mulberry32: a tiny seeded PRNG, so every install gets the same sample data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About 3,300 order lines over 2025, in SAMPLE_FIELDS order. Deterministic. */
export function generateSampleSales(seed = 20250101): unknown[][] {
  const rand = prng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  const totalWeight = REGION_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const rows: unknown[][] = [];
  const start = Date.parse(`${SAMPLE_START}T00:00:00Z`);
  for (let day = 0; day < DAYS; day++) {
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    // A gentle rise over the year plus noise, so the monthly line has a shape.
    const orders = 5 + Math.floor(rand() * 5) + Math.floor(day / 120);
    for (let i = 0; i < orders; i++) {
      let r = rand() * totalWeight;
      const region = REGION_WEIGHTS.find(([, w]) => (r -= w) < 0)?.[0] ?? '华东';
      const product = pick(PRODUCTS);
      const quantity = 1 + Math.floor(rand() * (product.price > 500 ? 5 : 40));
      const discount = 0.85 + Math.floor(rand() * 16) / 100;
      const amount = Math.round(quantity * product.price * discount * 100) / 100;
      const city = pick(CITIES[region]!);
      rows.push([date, region, city, product.category, product.name, quantity, amount, PROVINCE_OF[city]!]);
    }
  }
  return rows;
}
