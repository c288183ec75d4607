// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { categoryAt } from '../src/utils/charts/hit';

const data = { categories: ['华东', '华南', '华北', '西南'], series: [{ name: '销售额', values: [50, 25, 25, 0] }] };
const box = { width: 352, height: 220 };

describe('categoryAt (what a tap on the chart means)', () => {
  it('maps a tap on a bar or line chart to the column under the finger, and the axis gutter to nothing', () => {
    // Plot spans x 44…344: four columns of 75 px.
    expect(categoryAt('bar', box, data, 50, 100)).toBe(0);
    expect(categoryAt('bar', box, data, 44 + 75 * 2 + 10, 100)).toBe(2);
    expect(categoryAt('line', box, data, 343, 100)).toBe(3);
    expect(categoryAt('bar', box, data, 20, 100)).toBe(-1);
  });
  it('maps a tap on a pie to its slice (clockwise from 12 o’clock) or legend row', () => {
    // r = min(110 - 8, 88) = 88, centre (100, 110). The first slice is the right half.
    expect(categoryAt('pie', box, data, 150, 110)).toBe(0);
    expect(categoryAt('pie', box, data, 60, 150)).toBe(1); // lower left quarter
    expect(categoryAt('pie', box, data, 60, 70)).toBe(2); // upper left quarter
    expect(categoryAt('pie', box, data, 100, 300)).toBe(-1);
    expect(categoryAt('pie', box, data, 250, 12 + 18 * 3)).toBe(3); // legend row of 西南
  });
});
