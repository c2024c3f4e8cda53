import type { ExportContent, ExportMessage, MessageRole } from './exportShapes';
import type { SeededRandom } from './seededRandom';

export interface MessageFields {
  name?: string | null;
  recipient?: string;
  channel?: string | null;
  status?: string;
  endTurn?: boolean | null;
  weight?: number;
  metadata?: Record<string, unknown>;
  /** Force a null create_time (hidden context nodes have none). */
  untimed?: boolean;
}

/**
 * Builds messages for one conversation: ids, a clock that moves forward turn by
 * turn, and the per-message model slug when the conversation has none.
 */
export class MessageFactory {
  private clock: number;
  lastTime: number;

  constructor(
    private readonly rng: SeededRandom,
    startTime: number,
    private readonly modelSlug: string,
    /** Put model_slug on every assistant message (the conversation-level slug is null). */
    private readonly modelPerMessage: boolean,
    /** Share of messages whose create_time is null. */
    private readonly nullTimestampRate: number,
  ) {
    this.clock = startTime;
    this.lastTime = startTime;
  }

  /** Lets time pass between turns (a user thinks, comes back hours later). */
  pause(minSeconds: number, maxSeconds: number): void {
    this.clock += minSeconds + this.rng.next() * (maxSeconds - minSeconds);
  }

  private timestamp(): number {
    this.clock += 0.5 + this.rng.next() * 20;
    // Six decimals, as in real exports (float epoch seconds with microseconds).
    const time = Math.round(this.clock * 1e6) / 1e6;
    this.lastTime = time;
    return time;
  }

  make(role: MessageRole, content: ExportContent, fields: MessageFields = {}): ExportMessage {
    const rng = this.rng;
    const time = this.timestamp();
    const nullTime = fields.untimed || (this.nullTimestampRate > 0 && rng.chance(this.nullTimestampRate));
    const metadata: Record<string, unknown> = { ...fields.metadata };
    if (role === 'assistant') {
      if (this.modelPerMessage || rng.chance(0.9)) metadata.model_slug = this.modelSlug;
      metadata.default_model_slug = this.modelPerMessage ? null : this.modelSlug;
      if (!('finish_details' in metadata) && fields.endTurn !== false) {
        metadata.finish_details = { type: 'stop', stop_tokens: [200002] };
      }
      metadata.is_complete = true;
    }
    if (role === 'user' || role === 'assistant') {
      metadata.request_id = rng.hex(16);
      metadata.message_type = null;
      metadata.timestamp_ = 'absolute';
    }
    return {
      id: rng.uuid(),
      author: { role, name: fields.name ?? null, metadata: {} },
      create_time: nullTime ? null : time,
      update_time: role === 'tool' && !nullTime ? time : null,
      content,
      status: fields.status ?? 'finished_successfully',
      end_turn: fields.endTurn ?? (role === 'assistant' ? true : null),
      weight: fields.weight ?? 1,
      metadata,
      recipient: fields.recipient ?? 'all',
      channel: fields.channel ?? null,
    };
  }
}
