import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { useIsolatedResources, type IsolatedResources } from '../../../../test/support/isolatedResources';

/** Deterministic bytes, sent in uneven chunks so the body is a real stream, not one buffer. */
function patternedBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff;
  return bytes;
}

function chunkedStream(bytes: Buffer, chunkSize: number): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
    })(),
  );
}

describe('S3 on the local stack', () => {
  let archive: IsolatedResources;
  beforeAll(async () => {
    archive = await useIsolatedResources('s3 round trip');
  });

  it('stores a streamed multi-MB PutObject body byte-equal (no aws-chunked framing)', async () => {
    const bytes = patternedBytes(5 * 1024 * 1024 + 123);
    await archive.clients.s3.send(
      new PutObjectCommand({
        Bucket: archive.bucket,
        Key: 'imports/u1/streamed.zip',
        Body: chunkedStream(bytes, 64 * 1024 + 7),
        ContentLength: bytes.length,
      }),
    );
    const got = await archive.clients.s3.send(new GetObjectCommand({ Bucket: archive.bucket, Key: 'imports/u1/streamed.zip' }));
    const readBack = Buffer.from(await got.Body!.transformToByteArray());
    expect(readBack.length).toBe(bytes.length);
    expect(createHash('sha256').update(readBack).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('pages through ListObjectsV2 with continuation tokens (needs --openssl-legacy-provider)', async () => {
    const keys = Array.from({ length: 23 }, (_, i) => `work/i1/chunks/${String(i).padStart(4, '0')}.jsonl`);
    await Promise.all(keys.map((Key) => archive.clients.s3.send(new PutObjectCommand({ Bucket: archive.bucket, Key, Body: Key }))));
    const listed: string[] = [];
    let pages = 0;
    let ContinuationToken: string | undefined;
    do {
      const page = await archive.clients.s3.send(
        new ListObjectsV2Command({ Bucket: archive.bucket, Prefix: 'work/i1/', MaxKeys: 5, ContinuationToken }),
      );
      listed.push(...(page.Contents ?? []).map((object) => object.Key!));
      ContinuationToken = page.NextContinuationToken;
      pages++;
    } while (ContinuationToken);
    expect(pages).toBe(5);
    expect(listed).toEqual(keys);
  });
});
