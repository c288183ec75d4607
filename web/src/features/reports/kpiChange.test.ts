import { describe, expect, it } from 'vitest';
import { CHANGE_COLORS, kpiChange } from './kpiChange';

const cmp = (changeRatio: number | null) => ({
  current: 1,
  previous: 1,
  changeRatio,
  range: { from: '2025-03-01', to: '2025-03-31' },
  previousRange: { from: '2025-01-29', to: '2025-02-28' },
});

describe('KPI change on the web', () => {
  it('rise red ▲, fall green ▼, unknown grey, nothing without a comparison', () => {
    expect(kpiChange(cmp(0.125), 'previous_period')).toEqual({ direction: 'up', text: '▲ 12.5%', color: CHANGE_COLORS.up, captionKey: 'kpiChange.previous_period' });
    expect(kpiChange(cmp(-0.03), 'previous_year')).toEqual({ direction: 'down', text: '▼ 3.0%', color: CHANGE_COLORS.down, captionKey: 'kpiChange.previous_year' });
    expect(kpiChange(cmp(null), 'previous_period')).toMatchObject({ direction: 'flat', text: '—' });
    expect(kpiChange(null, 'previous_period')).toBeNull();
    expect(kpiChange(cmp(0.5), undefined)).toBeNull();
    expect(CHANGE_COLORS.up).toBe('#d54941'); // red: up, as Chinese readers expect
  });
});
