// The functions and words of the calculated-field formula language, for the editor's completion
// and help. The server's checker (server/src/calc/checkFormula.ts) is the authority; a server test
// checks every `example` here, so a function listed is one the server accepts. No runtime imports.

export interface FormulaFunction {
  /** As typed, upper case: `SUM`. */
  name: string;
  /** The argument list shown after the name: `(数值)`. */
  args: { zh: string; en: string };
  /** One line on what it gives. */
  zh: string;
  en: string;
  /** Aggregates over the rows of a group (SUM, COUNT…): the field becomes a measure only. */
  aggregate?: boolean;
  /** A valid expression using it, over the fields 销售额 利润 (number), 数量 (integer), 城市 (text), 日期 (date), 会员 (yes/no). */
  example: string;
}

export const FORMULA_FUNCTIONS: readonly FormulaFunction[] = [
  { name: 'SUM', args: { zh: '(数值)', en: '(number)' }, zh: '合计', en: 'Total', aggregate: true, example: 'SUM([销售额])' },
  { name: 'AVG', args: { zh: '(数值)', en: '(number)' }, zh: '平均值', en: 'Average', aggregate: true, example: 'AVG([利润])' },
  { name: 'COUNT', args: { zh: '(值)，或 () 统计行数', en: '(value), or () for rows' }, zh: '计数', en: 'Count', aggregate: true, example: 'COUNT()' },
  { name: 'COUNT_DISTINCT', args: { zh: '(值)', en: '(value)' }, zh: '去重计数', en: 'Count of distinct values', aggregate: true, example: 'COUNT_DISTINCT([城市])' },
  { name: 'MIN', args: { zh: '(值)', en: '(value)' }, zh: '最小值', en: 'Smallest value', aggregate: true, example: 'MIN([日期])' },
  { name: 'MAX', args: { zh: '(值)', en: '(value)' }, zh: '最大值', en: 'Largest value', aggregate: true, example: 'MAX([销售额])' },
  { name: 'IF', args: { zh: '(条件, 是, 否)', en: '(condition, then, else)' }, zh: '按条件取值', en: 'One value or another by a condition', example: "IF([数量] > 10, '大单', '小单')" },
  { name: 'YEAR', args: { zh: '(日期)', en: '(date)' }, zh: '年份', en: 'Year', example: 'YEAR([日期])' },
  { name: 'QUARTER', args: { zh: '(日期)', en: '(date)' }, zh: '季度 1–4', en: 'Quarter 1–4', example: 'QUARTER([日期])' },
  { name: 'MONTH', args: { zh: '(日期)', en: '(date)' }, zh: '月份 1–12', en: 'Month 1–12', example: 'MONTH([日期])' },
  { name: 'DAY', args: { zh: '(日期)', en: '(date)' }, zh: '日 1–31', en: 'Day of month 1–31', example: 'DAY([日期])' },
  { name: 'WEEKDAY', args: { zh: '(日期)', en: '(date)' }, zh: '星期几', en: 'Day of the week', example: 'WEEKDAY([日期])' },
  { name: 'DATEDIFF', args: { zh: '(开始, 结束)', en: '(start, end)' }, zh: '相差天数', en: 'Days between two dates', example: "DATEDIFF([日期], '2024-12-31')" },
  { name: 'ROUND', args: { zh: '(数值, 小数位数)', en: '(number, digits)' }, zh: '四舍五入', en: 'Rounded', example: 'ROUND([利润] / [销售额], 2)' },
  { name: 'ABS', args: { zh: '(数值)', en: '(number)' }, zh: '绝对值', en: 'Absolute value', example: 'ABS([利润])' },
  { name: 'COALESCE', args: { zh: '(值1, 值2, …)', en: '(value1, value2, …)' }, zh: '第一个非空值', en: 'The first value that is not empty', example: 'COALESCE([利润], 0)' },
  { name: 'IFNULL', args: { zh: '(值, 空值时)', en: '(value, if empty)' }, zh: '为空时取另一个值', en: 'Another value when empty', example: 'IFNULL([利润], 0)' },
  { name: 'CONCAT', args: { zh: '(值1, 值2, …)', en: '(value1, value2, …)' }, zh: '连接成文本', en: 'Joined as text', example: "CONCAT([城市], '-', [数量])" },
];

/** Words of the language that are not functions (CASE WHEN … THEN … ELSE … END, AND, OR…). */
export const FORMULA_KEYWORDS: readonly string[] = ['AND', 'OR', 'NOT', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'TRUE', 'FALSE', 'NULL'];
