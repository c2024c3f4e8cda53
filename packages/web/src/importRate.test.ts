import { describe, expect, it } from 'vitest';
import { ImportRateTracker } from './importRate';

describe('ImportRateTracker', () => {
  it('says nothing until a second of progress is seen, then rate and time left', () => {
    const tracker = new ImportRateTracker();
    expect(tracker.add({ at: 0, percent: 10, conversationsDone: 0 })).toEqual({ conversationsPerSecond: null, secondsLeft: null });
    expect(tracker.add({ at: 500, percent: 12, conversationsDone: 50 }).conversationsPerSecond).toBeNull();
    const rate = tracker.add({ at: 2000, percent: 20, conversationsDone: 200 });
    expect(rate.conversationsPerSecond).toBeCloseTo(100);
    expect(rate.secondsLeft).toBeCloseTo(16); // 80 % left at 5 %/s
  });

  it('follows the recent pace, not the start', () => {
    const tracker = new ImportRateTracker();
    tracker.add({ at: 0, percent: 0, conversationsDone: 0 });
    tracker.add({ at: 1000, percent: 1, conversationsDone: 1 });
    for (let second = 2; second <= 30; second++) tracker.add({ at: second * 1000, percent: 1 + (second - 1) * 2, conversationsDone: second * 100 });
    expect(tracker.rate().conversationsPerSecond).toBeCloseTo(100, 0);
  });

  it('gives no estimate while nothing moves', () => {
    const tracker = new ImportRateTracker();
    tracker.add({ at: 0, percent: 5, conversationsDone: 0 });
    expect(tracker.add({ at: 3000, percent: 5, conversationsDone: 0 })).toEqual({ conversationsPerSecond: null, secondsLeft: null });
  });
});
