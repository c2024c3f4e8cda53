// Which uploaded objects start an import: exactly `imports/<userId>/<importId>.zip|.json`, with
// both ids safe as key segments. Anything else is rejected with a reason, never thrown on (an
// S3 notification that throws is retried, and a bad key would be retried forever).

import { isSafeKeySegment, objectKeys } from '../../archive/objectKeys';

export type UploadKey =
  | { ok: true; key: string; userId: string; importId: string; extension: 'zip' | 'json' }
  | { ok: false; key: string; reason: string };

/**
 * Real S3 notifications URL-encode the key (spaces as `+`); s3rver sends it as is. Decoding an
 * accepted key is harmless either way: safe segments contain no `%`, `+` or space.
 */
export function decodeS3EventKey(key: string): string | null {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** Parses a decoded object key. */
export function parseUploadKey(key: string): UploadKey {
  const reject = (reason: string): UploadKey => ({ ok: false, key, reason });
  if (!key.startsWith(objectKeys.uploadPrefix)) return reject(`not under ${objectKeys.uploadPrefix}`);
  const segments = key.slice(objectKeys.uploadPrefix.length).split('/');
  if (segments.length !== 2) return reject('expected imports/<userId>/<importId>.zip or .json');
  const [userId, fileName] = segments as [string, string];
  const match = /^(.+)\.(zip|json)$/.exec(fileName);
  if (!match) return reject('the file name must end in .zip or .json');
  const importId = match[1]!;
  const extension = match[2] as 'zip' | 'json';
  if (!isSafeKeySegment(userId)) return reject('the user id is not a safe key segment');
  if (!isSafeKeySegment(importId)) return reject('the import id is not a safe key segment');
  // The workflow's execution is named after the import id: AWS allows [A-Za-z0-9_-]{1,80}.
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(importId)) return reject('the import id cannot name a workflow execution');
  return { ok: true, key, userId, importId, extension };
}

/** The key of an S3 event record, decoded and parsed. */
export function parseS3EventKey(rawKey: string): UploadKey {
  const key = decodeS3EventKey(rawKey);
  if (key === null) return { ok: false, key: rawKey, reason: 'the key is not valid URL encoding' };
  return parseUploadKey(key);
}
