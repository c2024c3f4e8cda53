// The offload decision: an item that would pass the safe size keeps its largest text fields in
// S3 instead, each replaced by a `<field>_ref` attribute. Pure: the caller uploads the objects
// (before writing the item) and the object key is content-addressed, so a retry rewrites the
// same key with the same bytes.

import { createHash } from 'node:crypto';
import { objectKeys } from './objectKeys';
import type { ConversationMetaItem, ObjectRef } from './conversationItems';
import { dynamoItemBytes, SAFE_ITEM_BYTES } from '../aws/itemSize';
import type { MessagePageItem } from './messagePages';
import { domainError } from '../errors/domainError';
import { metaTextFields, withCompressedTexts } from './metaTexts';

/** An S3 object to write: where, and the UTF-8 bytes of the offloaded text. */
export interface OffloadedObject extends ObjectRef {
  body: Buffer;
}

export interface OffloadResult<T> {
  item: T;
  objects: OffloadedObject[];
}

/** An item over DynamoDB's 400 KB even with its large fields offloaded. */
export class ItemTooLargeError extends domainError('ItemTooLargeError', 'capacity') {}

export function offloadedObject(text: string, keyFor: (sha256: string) => string): OffloadedObject {
  const body = Buffer.from(text, 'utf8');
  const sha256 = createHash('sha256').update(body).digest('hex');
  return { key: keyFor(sha256), sha256, bytes: body.byteLength, body };
}

/**
 * Moves the named string fields of `item` to S3, largest first, until the item fits `limitBytes`.
 * Returns the item unchanged (and no objects) when it already fits.
 */
export function offloadLargeFields<T extends object>(
  item: T,
  fields: readonly (keyof T & string)[],
  keyFor: (sha256: string) => string,
  limitBytes: number = SAFE_ITEM_BYTES,
): OffloadResult<T> {
  const record = { ...item } as Record<string, unknown>;
  const objects: OffloadedObject[] = [];
  const candidates = fields
    .filter((field) => typeof record[field] === 'string')
    .sort((a, b) => Buffer.byteLength(record[b] as string) - Buffer.byteLength(record[a] as string));
  for (const field of candidates) {
    if (dynamoItemBytes(record) <= limitBytes) break;
    const object = offloadedObject(record[field] as string, keyFor);
    delete record[field];
    record[`${field}_ref`] = { key: object.key, sha256: object.sha256, bytes: object.bytes } satisfies ObjectRef;
    objects.push(object);
  }
  const bytes = dynamoItemBytes(record);
  if (bytes > limitBytes) {
    throw new ItemTooLargeError(`item is ${bytes} bytes even with its texts in S3 (limit ${limitBytes})`);
  }
  return { item: record as T, objects };
}

/**
 * META: the transcript and raw text inline and gzipped (metaTexts.ts); when even that would not
 * fit, the largest go to S3 as plain UTF-8 first and what stays inline is gzipped.
 */
export function offloadMetaItem(item: ConversationMetaItem, limitBytes: number = SAFE_ITEM_BYTES): OffloadResult<ConversationMetaItem> {
  const compressed = withCompressedTexts(item);
  if (dynamoItemBytes(compressed) <= limitBytes) return { item: compressed, objects: [] };
  const offloaded = offloadLargeFields(item, metaTextFields, (sha256) => objectKeys.offload(item.user_id, item.conversation_id, sha256), limitBytes);
  return { item: withCompressedTexts(offloaded.item), objects: offloaded.objects };
}

/**
 * A page: its largest message texts go to S3, largest first, until the page fits; the keys are
 * listed in `offloaded_keys`. A page whose messages fit is returned as it is.
 */
export function offloadPageItem(
  userId: string,
  conversationId: string,
  page: MessagePageItem,
  limitBytes: number = SAFE_ITEM_BYTES,
): OffloadResult<MessagePageItem> {
  let bytes = dynamoItemBytes(page);
  if (bytes <= limitBytes) return { item: page, objects: [] };
  const messages = [...page.messages];
  const objects: OffloadedObject[] = [];
  const bySize = messages
    .map((message, index) => ({ index, bytes: message.text === undefined ? 0 : Buffer.byteLength(message.text) }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const { index } of bySize) {
    if (bytes <= limitBytes) break;
    const { text, ...rest } = messages[index];
    if (text === undefined) continue;
    const object = offloadedObject(text, (sha256) => objectKeys.offload(userId, conversationId, sha256));
    messages[index] = { ...rest, text_ref: { key: object.key, sha256: object.sha256, bytes: object.bytes } };
    objects.push(object);
    bytes = dynamoItemBytes({ ...page, messages, offloaded_keys: objects.map((o) => o.key) });
  }
  const item: MessagePageItem = { ...page, messages, offloaded_keys: [...new Set(objects.map((o) => o.key))] };
  if (bytes > limitBytes) {
    throw new ItemTooLargeError(`message page ${page.sk} is ${bytes} bytes even with its texts in S3 (limit ${limitBytes})`);
  }
  return { item, objects };
}

/** Every S3 key an item refers to (its `*_ref` attributes, and a page's `offloaded_keys`). */
export function referencedKeys(item: object): string[] {
  const keys: string[] = [...((item as Partial<MessagePageItem>).offloaded_keys ?? [])];
  for (const [name, value] of Object.entries(item)) {
    if (name.endsWith('_ref') && value && typeof (value as ObjectRef).key === 'string') keys.push((value as ObjectRef).key);
  }
  return keys;
}
