// The same conversation id can appear twice in one export (across shards, or re-exported copies).
// As conversations stream by, this ledger says which copy to keep: the newer `update_time`; on a
// tie the larger mapping (more nodes, i.e. more history); on a further tie the first seen.
// It remembers only id → a small record, never a conversation.

export interface DuplicateOffer {
  id: string;
  /** Conversation `update_time` in epoch seconds; null counts as older than any time. */
  updateTime: number | null;
  /** Number of nodes in the conversation's mapping. */
  mappingSize: number;
  /** Position of this copy in the stream, as the caller counts it. */
  ordinal: number;
}

export type DuplicateVerdict =
  | { verdict: 'first' }
  /** An earlier copy wins: drop this one. */
  | { verdict: 'older' }
  /** This copy wins: the earlier copy at `superseded` (its ordinal) is now dropped. */
  | { verdict: 'replaces'; superseded: number };

interface KeptCopy {
  updateTime: number;
  mappingSize: number;
  ordinal: number;
}

export class DuplicateLedger {
  private readonly kept = new Map<string, KeptCopy>();
  private duplicateCount = 0;

  /** How many copies were dropped so far (each repeat of an id drops exactly one copy). */
  get duplicates(): number {
    return this.duplicateCount;
  }

  offer(offer: DuplicateOffer): DuplicateVerdict {
    const candidate: KeptCopy = {
      updateTime: offer.updateTime !== null && Number.isFinite(offer.updateTime) ? offer.updateTime : Number.NEGATIVE_INFINITY,
      mappingSize: offer.mappingSize,
      ordinal: offer.ordinal,
    };
    const current = this.kept.get(offer.id);
    if (current === undefined) {
      this.kept.set(offer.id, candidate);
      return { verdict: 'first' };
    }
    this.duplicateCount++;
    const newer =
      candidate.updateTime > current.updateTime ||
      (candidate.updateTime === current.updateTime && candidate.mappingSize > current.mappingSize);
    if (!newer) return { verdict: 'older' };
    this.kept.set(offer.id, candidate);
    return { verdict: 'replaces', superseded: current.ordinal };
  }
}
