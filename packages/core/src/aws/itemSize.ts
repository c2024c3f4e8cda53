// The size DynamoDB charges an item against its 400 KB limit, computed from the plain values the
// document client marshalls (attribute names count too). Slight over-estimates are fine: the
// result is only compared with a safe threshold well under the limit.

/** Items above this keep their large fields in S3 (DynamoDB rejects items over 400 KB). */
export const SAFE_ITEM_BYTES = 350 * 1024;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes of one marshalled value, per DynamoDB's documented item-size rules. */
export function attributeValueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    // About one byte per two significant digits, plus one; never more than 21.
    const digits = String(value).replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length;
    return Math.min(21, Math.ceil(Math.max(digits, 1) / 2) + 1);
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    // Lists and maps: 3 bytes of overhead, 1 byte per element.
    return value.reduce<number>((sum, element) => sum + 1 + attributeValueBytes(element), 3);
  }
  if (value instanceof Set) {
    return [...value].reduce<number>((sum, element) => sum + attributeValueBytes(element), 0);
  }
  if (typeof value === 'object') {
    let sum = 3;
    for (const [name, element] of Object.entries(value as Record<string, unknown>)) {
      if (element === undefined) continue; // removed by the marshaller
      sum += 1 + utf8Bytes(name) + attributeValueBytes(element);
    }
    return sum;
  }
  return 0; // undefined and functions are not stored
}

/** Bytes of a whole item: each attribute's name plus its value. */
export function dynamoItemBytes(item: object): number {
  let sum = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    sum += utf8Bytes(name) + attributeValueBytes(value);
  }
  return sum;
}
