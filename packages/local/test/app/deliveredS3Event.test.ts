import { describe, expect, it } from 'vitest';
import type { S3Event } from 'aws-lambda';
import { decodeS3EventKey } from '@threadline/core/importWorkflow/upload/uploadKey';
import { asDeliveredS3Event, encodeS3EventKey, isUploadCreated } from '../../src/app/deliveredS3Event';

const s3rverEvent = (key: string, eventName = 'ObjectCreated:Post'): S3Event =>
  ({
    Records: [{ eventName, s3: { bucket: { name: 'b', arn: 'arn:aws:s3: : :b' }, object: { key, size: '42' } } }],
  }) as unknown as S3Event;

describe('S3 events as real S3 delivers them', () => {
  it('encodes keys like S3 notifications: + for spaces, %XX for the rest, slashes kept', () => {
    expect(encodeS3EventKey('imports/u/my export (1)+€.zip')).toBe('imports/u/my+export+%281%29%2B%E2%82%AC.zip');
    expect(encodeS3EventKey('imports/local/7f7c2a9e-1b2c.zip')).toBe('imports/local/7f7c2a9e-1b2c.zip');
  });

  it('round-trips through the decoder the handlers use', () => {
    const key = 'imports/u/a b+c%d/é.json';
    expect(decodeS3EventKey(encodeS3EventKey(key))).toBe(key);
  });

  it('numbers the size, fixes the bucket ARN and keeps the event name', () => {
    const delivered = asDeliveredS3Event(s3rverEvent('imports/u/x y.zip'));
    expect(delivered.Records[0].s3.object).toMatchObject({ key: 'imports/u/x+y.zip', size: 42 });
    expect(delivered.Records[0].s3.bucket.arn).toBe('arn:aws:s3:::b');
    expect(delivered.Records[0].eventName).toBe('ObjectCreated:Post');
  });

  it('passes only uploads under the prefix, .zip or .json, created (the bucket notification filter)', () => {
    expect(isUploadCreated(s3rverEvent('imports/u/1.zip'), 'imports/')).toBe(true);
    expect(isUploadCreated(s3rverEvent('imports/u/1.json', 'ObjectCreated:Put'), 'imports/')).toBe(true);
    expect(isUploadCreated(s3rverEvent('work/1/manifest.jsonl'), 'imports/')).toBe(false);
    expect(isUploadCreated(s3rverEvent('imports/u/1.txt'), 'imports/')).toBe(false);
    expect(isUploadCreated(s3rverEvent('imports/u/1.zip', 'ObjectRemoved:Delete'), 'imports/')).toBe(false);
  });
});
