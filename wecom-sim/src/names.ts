/**
 * Name pools for generated corps, each entry `汉字:pinyin`. Surnames follow the frequency order of
 * the 2020 census, and the given names are the most common ones, so duplicates such as 张伟, 王芳,
 * 李娜 appear naturally in large corps, as they do in real ones.
 */
export const SURNAMES = (
  '王:Wang 李:Li 张:Zhang 刘:Liu 陈:Chen 杨:Yang 黄:Huang 赵:Zhao 吴:Wu 周:Zhou 徐:Xu 孙:Sun 马:Ma 朱:Zhu 胡:Hu ' +
  '郭:Guo 何:He 林:Lin 高:Gao 罗:Luo 郑:Zheng 梁:Liang 谢:Xie 宋:Song 唐:Tang 许:Xu 韩:Han 邓:Deng 冯:Feng 曹:Cao ' +
  '彭:Peng 曾:Zeng 肖:Xiao 田:Tian 董:Dong 潘:Pan 袁:Yuan 蔡:Cai 蒋:Jiang 余:Yu 于:Yu 杜:Du 叶:Ye 程:Cheng 魏:Wei ' +
  '苏:Su 吕:Lv 丁:Ding 任:Ren 卢:Lu 姚:Yao 沈:Shen 钟:Zhong 姜:Jiang 崔:Cui 谭:Tan 陆:Lu 范:Fan 汪:Wang 廖:Liao ' +
  '石:Shi 金:Jin 韦:Wei 贾:Jia 夏:Xia 付:Fu 方:Fang 邹:Zou 熊:Xiong 白:Bai 孟:Meng 秦:Qin 邱:Qiu 侯:Hou 江:Jiang ' +
  '尹:Yin 薛:Xue 闫:Yan 段:Duan 雷:Lei 龙:Long 黎:Li 史:Shi 陶:Tao 贺:He 毛:Mao 郝:Hao 顾:Gu 龚:Gong 邵:Shao ' +
  '万:Wan 覃:Qin 武:Wu 钱:Qian 戴:Dai 严:Yan 欧阳:OuYang 司马:SiMa'
)
  .split(' ')
  .map(pair);

export const GIVEN_NAMES = (
  '伟:Wei 芳:Fang 娜:Na 秀英:XiuYing 敏:Min 静:Jing 丽:Li 强:Qiang 磊:Lei 军:Jun 洋:Yang 勇:Yong 艳:Yan 杰:Jie ' +
  '娟:Juan 涛:Tao 明:Ming 超:Chao 秀兰:XiuLan 霞:Xia 平:Ping 刚:Gang 桂英:GuiYing 玉兰:YuLan 萍:Ping 建华:JianHua ' +
  '建国:JianGuo 建军:JianJun 海燕:HaiYan 雪梅:XueMei 志强:ZhiQiang 志明:ZhiMing 秀珍:XiuZhen 丹:Dan 斌:Bin 浩:Hao ' +
  '宇:Yu 鑫:Xin 婷:Ting 欣怡:XinYi 子轩:ZiXuan 浩然:HaoRan 梓涵:ZiHan 一诺:YiNuo 雨桐:YuTong 思远:SiYuan 晓东:XiaoDong ' +
  '晓燕:XiaoYan 文博:WenBo 佳怡:JiaYi 俊杰:JunJie 鹏:Peng 辉:Hui 红:Hong 玲:Ling 颖:Ying 琳:Lin 倩:Qian 亮:Liang ' +
  '成:Cheng 凯:Kai 晨:Chen 阳:Yang 帆:Fan 嘉怡:JiaYi 宇航:YuHang 天佑:TianYou 立新:LiXin 国栋:GuoDong 春梅:ChunMei ' +
  '丽娟:LiJuan 淑珍:ShuZhen 德明:DeMing 永刚:YongGang 慧敏:HuiMin 家豪:JiaHao 子豪:ZiHao 梦琪:MengQi 诗涵:ShiHan'
)
  .split(' ')
  .map(pair);

export const POSITIONS = ['工程师', '高级工程师', '产品经理', '销售代表', '客户经理', '会计', '出纳', '人事专员', '运营专员', '设计师', '数据分析师', '部门经理', '总监', '行政助理', '测试工程师', '实施顾问'];

export const TOP_DEPARTMENTS = ['研发中心', '销售中心', '市场部', '财务部', '人力资源部', '运营中心', '客服中心', '供应链中心', '行政部', '法务部', '数据中心', '质量管理部'];

/** Second level: regions and branches. */
export const SUB_DEPARTMENTS = ['华东大区', '华南大区', '华北大区', '西南大区', '北京分部', '上海分部', '广州分部', '深圳分部', '杭州分部', '成都分部', '平台部', '产品部'];

/** Third level and below: teams. */
export const TEAMS = ['一组', '二组', '三组', '前端组', '后端组', '测试组', '综合组', '渠道组', '大客户组', '运维组'];

export const MOBILE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155', '158', '159', '176', '177', '180', '181', '186', '187', '188', '189', '199'];

function pair(s: string): { zh: string; py: string } {
  const [zh = '', py = ''] = s.split(':');
  return { zh, py };
}
