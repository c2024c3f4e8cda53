// Listing and deleting the objects under a prefix without continuation tokens. s3rver encrypts
// ListObjectsV2 tokens with DES (fails on Node 20 without --openssl-legacy-provider), so pages are
// walked with the V1 `Marker` (the last key seen), which is as correct on real S3.

import { DeleteObjectsCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';

/** Every key under `prefix`, in key order, a page at a time. */
export async function* keysUnderPrefix(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<string> {
  let marker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, Marker: marker }));
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
    yield* keys;
    if (!page.IsTruncated || keys.length === 0) return;
    marker = keys[keys.length - 1];
  }
}

/**
 * Deletes everything under `prefix`: list the first page, delete it, list again, until empty.
 * Re-listing from the start after each delete needs no marker at all and is correct on S3.
 */
export async function deleteObjectsUnder(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  if (prefix === '' || !prefix.endsWith('/')) throw new Error(`refusing to delete under "${prefix}": not a folder prefix`);
  let deleted = 0;
  for (;;) {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000 }));
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (keys.length === 0) return deleted;
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    const errors = result.Errors ?? [];
    if (errors.length >= keys.length) {
      // Nothing of the page went away: listing again would loop forever.
      const first = errors[0];
      throw new Error(`cannot delete under s3://${bucket}/${prefix}: ${first?.Code ?? 'error'} ${first?.Message ?? ''}`.trim());
    }
    deleted += keys.length - errors.length;
  }
}
