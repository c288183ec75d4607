// The shared field formatter (shared/src/format.ts): the web, the CSV export and the mini program
// all print numbers through it, so these cases are what every surface shows.
import { formatDateValue, formatValue } from '@shulan/shared/format';
import { afterEach, describe, expect, it } from 'vitest';

describe('formatValue: numbers', () => {
  it('groups thousands and keeps at most two decimals by default', () => {
    expect(formatValue(1234567.891, { kind: 'number' })).toBe('1,234,567.89');
    expect(formatValue(1797021.7499999, { kind: 'number' })).toBe('1,797,021.75');
    expect(formatValue(1000, { kind: 'number' })).toBe('1,000');
    expect(formatValue(1234.5, { kind: 'number', thousands: false })).toBe('1234.5');
  });

  it('rounds half up on the decimal digits, not through binary floating point', () => {
    // toFixed gives 1.00 for 1.005 and 2.67 for 2.675: an accountant expects 1.01 and 2.68.
    expect(formatValue(1.005, { kind: 'number', decimals: 2 })).toBe('1.01');
    expect(formatValue(2.675, { kind: 'number', decimals: 2 })).toBe('2.68');
    expect(formatValue(0.5, { kind: 'number', decimals: 0 })).toBe('1');
    expect(formatValue(999.995, { kind: 'number', decimals: 2 })).toBe('1,000.00');
    expect(formatValue(12, { kind: 'number', decimals: 2 })).toBe('12.00');
  });

  it('rounds negatives away from zero and never prints -0', () => {
    expect(formatValue(-2.5, { kind: 'number', decimals: 0 })).toBe('-3');
    expect(formatValue(-1234.565, { kind: 'number', decimals: 2 })).toBe('-1,234.57');
    expect(formatValue(-0.001, { kind: 'number', decimals: 2 })).toBe('0.00');
    expect(formatValue(-0.004, { kind: 'percent', decimals: 1 })).toBe('-0.4%');
  });

  it('keeps every digit of big numbers that arrive as strings', () => {
    expect(formatValue('12345678901234567890.125', { kind: 'number', decimals: 2 })).toBe('12,345,678,901,234,567,890.13');
    expect(formatValue('-98765432109876543210', { kind: 'number' })).toBe('-98,765,432,109,876,543,210');
    expect(formatValue('123456789012345678901234', { kind: 'number', unit: 'yi', decimals: 2 })).toBe('1,234,567,890,123,456.79亿');
    expect(formatValue(1e21, { kind: 'number' })).toBe('1,000,000,000,000,000,000,000');
    expect(formatValue(2.5e-7, { kind: 'number', decimals: 8 })).toBe('0.00000025');
  });

  it('divides by 万 and 亿, and picks the unit by size with auto', () => {
    expect(formatValue(123456, { kind: 'number', unit: 'wan' })).toBe('12.35万');
    expect(formatValue(123456, { kind: 'number', unit: 'wan', decimals: 1 })).toBe('12.3万');
    expect(formatValue(987654321, { kind: 'number', unit: 'yi', decimals: 2 })).toBe('9.88亿');
    expect(formatValue(-56789, { kind: 'number', unit: 'wan', decimals: 2 })).toBe('-5.68万');
    expect(formatValue(9999, { kind: 'number', unit: 'auto' })).toBe('9,999');
    expect(formatValue(12345, { kind: 'number', unit: 'auto' })).toBe('1.23万');
    expect(formatValue(123456789, { kind: 'number', unit: 'auto' })).toBe('1.23亿');
    expect(formatValue(-123456789, { kind: 'number', unit: 'auto', decimals: 1 })).toBe('-1.2亿');
    // English readers get K / M / B for auto.
    expect(formatValue(12345, { kind: 'number', unit: 'auto' }, 'en')).toBe('12.35K');
    expect(formatValue(123456789, { kind: 'number', unit: 'auto' }, 'en')).toBe('123.46M');
  });

  it('prints ratios as percentages and money with its symbol', () => {
    expect(formatValue(0.1234, { kind: 'percent' })).toBe('12.3%');
    expect(formatValue(0.1235, { kind: 'percent', decimals: 0 })).toBe('12%');
    expect(formatValue(1.5, { kind: 'percent', decimals: 2 })).toBe('150.00%');
    expect(formatValue(1234.5, { kind: 'currency' })).toBe('¥1,234.50');
    expect(formatValue(-1234.5, { kind: 'currency', currency: 'USD' })).toBe('-$1,234.50');
    expect(formatValue(12345678, { kind: 'currency', unit: 'wan' })).toBe('¥1,234.57万');
    expect(formatValue('1797021.745', { kind: 'currency' })).toBe('¥1,797,021.75');
  });

  it('shows a dash for missing values and text as it is', () => {
    expect(formatValue(null, { kind: 'number' })).toBe('—');
    expect(formatValue('', { kind: 'currency' })).toBe('—');
    expect(formatValue('n/a', { kind: 'number' })).toBe('n/a');
    expect(formatValue('华东')).toBe('华东');
  });
});

describe('formatValue: dates', () => {
  it('shows a date bucket at its grain, in Chinese and English', () => {
    expect(formatDateValue('2025-03-01', 'month')).toBe('2025年3月');
    expect(formatDateValue('2025-03-01', 'month', 'en')).toBe('2025-03');
    expect(formatDateValue('2025-04-01', 'quarter')).toBe('2025年第2季度');
    expect(formatDateValue('2025-04-01', 'quarter', 'en')).toBe('2025 Q2');
    expect(formatDateValue('2025-01-01', 'year')).toBe('2025年');
    expect(formatDateValue('2025-03-03T00:00:00.000Z', 'day')).toBe('2025-03-03');
    // ISO weeks: 2024-12-30 is in week 1 of 2025.
    expect(formatDateValue('2024-12-30', 'week')).toBe('2025年第1周');
    expect(formatDateValue('2025-03-03', 'week', 'en')).toBe('2025 W10');
  });

  it('takes the grain from the column key when the widget set no format', () => {
    expect(formatValue('2025-07-01', undefined, 'zh', '日期__month')).toBe('2025年7月');
    expect(formatValue('2025-07-01', { kind: 'date', dateGrain: 'quarter' }, 'zh', '日期__month')).toBe('2025年第3季度');
  });
});

describe('formatValue does not depend on toLocaleString', () => {
  const real = Number.prototype.toLocaleString;
  afterEach(() => {
    Number.prototype.toLocaleString = real;
  });
  it('formats the same where toLocaleString ignores its options (some Android runtimes)', () => {
    Number.prototype.toLocaleString = function (this: number) {
      return String(this);
    };
    expect(formatValue(1234567.891, { kind: 'currency', decimals: 2 })).toBe('¥1,234,567.89');
  });
});
