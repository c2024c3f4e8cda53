// Reading the JSON and JSON Lines work files of an import from S3.

import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One JSON value per non-empty line, streamed (an ids list may be large). */
export async function* readJsonLines<T>(s3: S3Client, bucket: string, key: string): AsyncGenerator<T> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!Body) return;
  const lines = createInterface({ input: Body as Readable, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() !== '') yield JSON.parse(line) as T;
  }
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
