import type { S3Event } from 'aws-lambda';

// s3rver emits its notification with the raw key and a string size; real S3 delivers keys
// form-URL-encoded (space → `+`, `+` → `%2B`, `/` kept) and sizes as numbers. Handlers are
// written for real S3, so every local event is made to look like one before they see it.

/** A key as S3 event notifications carry it. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => new URLSearchParams({ k: segment }).toString().slice(2))
    .join('/');
}

/** The event real S3 would have delivered for what s3rver reported. */
export function asDeliveredS3Event(event: S3Event): S3Event {
  return {
    Records: event.Records.map((record) => ({
      ...record,
      s3: {
        ...record.s3,
        bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${record.s3.bucket.name}` },
        object: {
          ...record.s3.object,
          key: encodeS3EventKey(record.s3.object.key),
          size: Number(record.s3.object.size ?? 0),
        },
      },
    })),
  };
}

/** Only what would reach the start-import function: ObjectCreated under the upload prefix, .zip or .json. */
export function isUploadCreated(event: S3Event, uploadPrefix: string): boolean {
  return event.Records.some(
    (record) =>
      record.eventName.startsWith('ObjectCreated:') &&
      record.s3.object.key.startsWith(uploadPrefix) &&
      /\.(zip|json)$/.test(record.s3.object.key),
  );
}
