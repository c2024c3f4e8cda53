// The work of `convert` for one batch of elements, wherever it runs (a worker thread or the
// main one): parse, normalize, serialize to JSONL once. Pure: bytes in, bytes and facts out.

import { duplicateCandidate } from '@threadline/core/conversation/duplicateCandidate';
import { conversationJsonLine } from '@threadline/core/conversation/conversationJsonLine';
import { normalizeConversationAs } from '@threadline/core/conversation/normalizeConversation';
import type { ConversationFailure } from '@threadline/core/conversation/normalizedConversation';
import { parseElement } from '@threadline/core/export/conversationArrayScanner';
import { ExportReadError, type ExportReadErrorCode } from '@threadline/core/export/exportReadError';
import type { ElementBatch } from './elementBatch';

export interface ConvertedConversation {
  index: number;
  conversationId: string;
  /** What the duplicate ledger decides on. */
  updateTime: number | null;
  mappingSize: number;
  messageCount: number;
  /** Length of its line in the batch's `lines`. */
  lineBytes: number;
}

export interface BatchResult {
  sequence: number;
  /** The JSONL lines of `converted`, back to back; its ArrayBuffer belongs to the result alone. */
  lines: Uint8Array;
  converted: ConvertedConversation[];
  failed: ConversationFailure[];
  /** Elements that parsed (converted or failed normalization). */
  read: number;
  /** The first element that is not JSON: it and the elements after it in the batch are not read. */
  fault?: { code: ExportReadErrorCode; message: string };
}

export function convertBatch(batch: ElementBatch): BatchResult {
  const pieces: Buffer[] = [];
  const converted: ConvertedConversation[] = [];
  const failed: ConversationFailure[] = [];
  let read = 0;
  let fault: BatchResult['fault'];
  let at = 0;
  for (const element of batch.elements) {
    const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset + at, element.length);
    at += element.length;
    let raw: unknown;
    try {
      raw = parseElement({ offset: element.offset, bytes }, element.file);
    } catch (error) {
      if (!(error instanceof ExportReadError)) throw error;
      fault = { code: error.code, message: error.message };
      break;
    }
    read += 1;
    const result = normalizeConversationAs(raw, element.index, (conversation) => ({ conversation, line: conversationJsonLine(conversation) }));
    if (!result.ok) {
      failed.push(result.failure);
      continue;
    }
    const { conversation, line } = result.conversation;
    pieces.push(...line);
    converted.push({
      index: element.index,
      conversationId: conversation.conversation_id,
      ...duplicateCandidate(raw),
      messageCount: conversation.message_count,
      lineBytes: line.reduce((sum, piece) => sum + piece.length, 0),
    });
  }
  return { sequence: batch.sequence, lines: concatenated(pieces), converted, failed, read, fault };
}

/** One copy into a buffer of its own (Buffer.concat may hand out a slice of a shared pool). */
function concatenated(pieces: Buffer[]): Uint8Array {
  const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
