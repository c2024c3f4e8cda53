import { describe, expect, it } from 'vitest';
import { decodeS3EventKey, parseS3EventKey, parseUploadKey } from '../../src/importWorkflow/upload/uploadKey';

describe('upload keys', () => {
  it('accepts imports/<userId>/<importId>.zip and .json', () => {
    expect(parseUploadKey('imports/user-1/imp_2.zip')).toEqual({ ok: true, key: 'imports/user-1/imp_2.zip', userId: 'user-1', importId: 'imp_2', extension: 'zip' });
    expect(parseUploadKey('imports/u/i.json')).toMatchObject({ ok: true, extension: 'json' });
  });

  it.each([
    ['uploads/u/i.zip', 'not under imports/'],
    ['imports/u/i.tar', 'must end in .zip or .json'],
    ['imports/u/x/i.zip', 'expected imports/'],
    ['imports/i.zip', 'expected imports/'],
    ['imports/../i.zip', 'user id'],
    ['imports/u/..zip', 'import id'],
    ['imports/u/a b.zip', 'import id'],
    ['imports/u/a.b.zip', 'cannot name a workflow execution'],
    ['imports/-u/i.zip', 'user id'],
  ])('rejects %s', (key, reason) => {
    const parsed = parseUploadKey(key);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it('decodes keys as real S3 sends them (+ for spaces) and leaves s3rver\'s plain keys alone', () => {
    expect(decodeS3EventKey('imports/u/my+export%281%29.zip')).toBe('imports/u/my export(1).zip');
    expect(decodeS3EventKey('imports/user-1/imp-1.zip')).toBe('imports/user-1/imp-1.zip');
    expect(decodeS3EventKey('imports/u/%E0%A4%A.zip')).toBeNull();
    expect(parseS3EventKey('imports%2Fuser-1%2Fimp-1.zip')).toMatchObject({ ok: true, userId: 'user-1', importId: 'imp-1' });
    expect(parseS3EventKey('imports/u/my+export.zip')).toMatchObject({ ok: false, key: 'imports/u/my export.zip' });
    expect(parseS3EventKey('imports/u/%zz.zip')).toMatchObject({ ok: false, reason: 'the key is not valid URL encoding' });
  });
});
