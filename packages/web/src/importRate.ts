// Conversations per second and time left, from the job as it is polled. A sliding window over
// recent samples: the rate follows the import's current pace, not its start-up.

export interface ProgressSample {
  /** Milliseconds (performance.now or Date.now). */
  at: number;
  percent: number;
  conversationsDone: number;
}

export interface ImportRate {
  conversationsPerSecond: number | null;
  /** Null until enough progress is seen to say. */
  secondsLeft: number | null;
}

const windowMs = 10_000;

export class ImportRateTracker {
  private samples: ProgressSample[] = [];

  add(sample: ProgressSample): ImportRate {
    this.samples.push(sample);
    // Keep one sample older than the window, so the window is always fully covered.
    while (this.samples.length > 2 && sample.at - this.samples[1]!.at > windowMs) this.samples.shift();
    return this.rate();
  }

  rate(): ImportRate {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 1000) return { conversationsPerSecond: null, secondsLeft: null };
    const seconds = (last.at - first.at) / 1000;
    const conversations = last.conversationsDone - first.conversationsDone;
    const percentPerSecond = (last.percent - first.percent) / seconds;
    return {
      conversationsPerSecond: conversations > 0 ? conversations / seconds : null,
      secondsLeft: percentPerSecond > 0 ? Math.max(0, (100 - last.percent) / percentPerSecond) : null,
    };
  }
}
