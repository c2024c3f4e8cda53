// The work of `convert` for one batch of elements, wherever it runs (a worker thread or the
// main one): parse, normalize, serialize to JSONL once. Pure: bytes in, bytes and facts out.

import { duplicateCandidate } from '@threadline/core/conversation/duplicateCandidate';
import { LineBuffer, appendConversationJsonLine } from '@threadline/core/conversation/conversationJsonLine';
import { normalizeConversationAs } from '@threadline/core/conversation/normalizeConversation';
import type { ConversationFailure } from '@threadline/core/conversation/normalizedConversation';
import { parseElement } from '@threadline/core/chatgptExport/conversationArrayScanner';
import { ExportReadError, type ExportReadErrorCode } from '@threadline/core/chatgptExport/exportReadError';
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

/** Room for a batch's lines: output is ~1.3× the input; a too-small guess only costs a copy. */
export function lineCapacity(batch: ElementBatch): number {
  return Math.max(64 * 1024, Math.ceil(batch.bytes.length * 1.5));
}

/** `spareLines`: a spent buffer of at least lineCapacity(batch) to write the lines into. */
export function convertBatch(batch: ElementBatch, spareLines?: ArrayBuffer): BatchResult {
  const lines = new LineBuffer(spareLines && spareLines.byteLength >= lineCapacity(batch) ? spareLines : lineCapacity(batch));
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
    const before = lines.length;
    const result = normalizeConversationAs(raw, element.index, (conversation) => ({ conversation, lineBytes: appendConversationJsonLine(conversation, lines) }));
    if (!result.ok) {
      lines.length = before; // a line that failed half-way is dropped
      failed.push(result.failure);
      continue;
    }
    const { conversation, lineBytes } = result.conversation;
    converted.push({
      index: element.index,
      conversationId: conversation.conversation_id,
      ...duplicateCandidate(raw),
      messageCount: conversation.message_count,
      lineBytes,
    });
  }
  return { sequence: batch.sequence, lines: lines.bytes.subarray(0, lines.length), converted, failed, read, fault };
}

