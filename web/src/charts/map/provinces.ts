/**
 * Province names as the shipped map names them (广东, 内蒙古, 香港 …), and the ways data spells
 * them: full official names (广东省, 广西壮族自治区, 香港特别行政区), short names, and pinyin.
 */
const SHORT = [
  '北京', '天津', '河北', '山西', '内蒙古', '辽宁', '吉林', '黑龙江', '上海', '江苏', '浙江', '安徽', '福建', '江西', '山东', '河南', '湖北', '湖南',
  '广东', '广西', '海南', '重庆', '四川', '贵州', '云南', '西藏', '陕西', '甘肃', '青海', '宁夏', '新疆', '台湾', '香港', '澳门',
] as const;

const PINYIN: Record<string, (typeof SHORT)[number]> = {
  beijing: '北京', tianjin: '天津', hebei: '河北', shanxi: '山西', neimenggu: '内蒙古', innermongolia: '内蒙古', liaoning: '辽宁', jilin: '吉林',
  heilongjiang: '黑龙江', shanghai: '上海', jiangsu: '江苏', zhejiang: '浙江', anhui: '安徽', fujian: '福建', jiangxi: '江西', shandong: '山东',
  henan: '河南', hubei: '湖北', hunan: '湖南', guangdong: '广东', guangxi: '广西', hainan: '海南', chongqing: '重庆', sichuan: '四川',
  guizhou: '贵州', yunnan: '云南', xizang: '西藏', tibet: '西藏', shaanxi: '陕西', gansu: '甘肃', qinghai: '青海', ningxia: '宁夏',
  xinjiang: '新疆', taiwan: '台湾', hongkong: '香港', macau: '澳门', macao: '澳门',
};

const SUFFIX = /(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/;

/** The map's name of a province, or null when the text names none. */
export function normalizeProvince(text: string): string | null {
  const t = text.trim();
  if (!t) return null;
  const short = t.replace(SUFFIX, '');
  if ((SHORT as readonly string[]).includes(short)) return short;
  const latin = t.toLowerCase().replace(/[^a-z]/g, '').replace(/(province|municipality|autonomousregion|sar)$/, '');
  return PINYIN[latin] ?? null;
}

export const PROVINCES: readonly string[] = SHORT;
