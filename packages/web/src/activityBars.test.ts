import { describe, expect, it } from 'vitest';
import { activityBars, monthsBetween } from './activityBars';

describe('activityBars', () => {
  it('has a slot for every month, empty ones included, scaled to the busiest', () => {
    const bars = activityBars(
      [
        { month: '2024-11', conversations: 4, messages: 40 },
        { month: '2025-02', conversations: 2, messages: 80 },
      ],
      400,
      100,
    );
    expect(bars.map((bar) => bar.month)).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(bars[0]).toMatchObject({ conversationsHeight: 100, messagesHeight: 50 });
    expect(bars[1]).toMatchObject({ conversationsHeight: 0, messagesHeight: 0 });
    expect(bars[3]).toMatchObject({ conversationsHeight: 50, messagesHeight: 100 });
    expect(bars[3]!.x + 2 * bars[3]!.width).toBeLessThanOrEqual(400);
  });

  it('handles no data and a single month', () => {
    expect(activityBars([], 100, 100)).toEqual([]);
    expect(monthsBetween('2024-12', '2024-12')).toEqual(['2024-12']);
  });
});
