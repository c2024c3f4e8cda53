// Reading the JSON and JSON Lines work files of an import from S3.

import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * One JSON value per non-empty line, streamed (an ids list may be large). Lines are cut at the
 * newline byte (it never occurs inside a UTF-8 sequence) and decoded whole: on chunk files of the
 * bench export readline took 1.5–2.7× what JSON.parse alone needs, this 1.04–1.5×.
 */
export async function* readJsonLines<T>(s3: S3Client, bucket: string, key: string): AsyncGenerator<T> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) return;
  for await (const line of byteLines(Body as AsyncIterable<Uint8Array>)) {
    const text = line.toString('utf8');
    if (text.trim() !== '') yield JSON.parse(text) as T;
  }
}

/** The lines of a byte stream, without their newlines; a line spanning chunks is joined once. */
export async function* byteLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  for await (const bytes of chunks) {
    const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, at);
      yield parts.length === 0 ? piece : Buffer.concat([...parts, piece]);
      parts = [];
      start = at + 1;
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
  }
  if (parts.length > 0) yield Buffer.concat(parts);
}

/** A whole JSON object; null when there is no such key. */
export async function readJsonObject<T>(s3: S3Client, bucket: string, key: string): Promise<T | null> {
  try {
    const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Body ? (JSON.parse(await Body.transformToString('utf8')) as T) : null;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
    throw error;
  }
}

export async function putText(s3: S3Client, bucket: string, key: string, body: string | Buffer, contentType: string): Promise<void> {
  // A Buffer, so the SDK knows the length (an empty string would look like a stream of unknown length).
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: contentType }));
}
