import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportUpload, InvalidUploadRequest, uploadExpirySeconds } from '@threadline/core/importing/createImportUpload';
import { jobContextOf } from '@threadline/core/importing/importContext';
import { getJob } from '@threadline/core/job/jobRepository';
import { useIsolatedResources, type IsolatedResources } from '../../../../test/support/isolatedResources';
import { postUpload } from '../../src/app/postUpload';

// s3rver does not enforce POST policies, so the policy is checked as the document S3 would read.

let resources: IsolatedResources;
let workDir: string;
beforeAll(async () => {
  resources = await useIsolatedResources('import-upload');
  workDir = await mkdtemp(join(tmpdir(), 'threadline-upload-'));
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const ctx = () => ({ clients: resources.clients, resources });

describe('createImportUpload', () => {
  it('creates the QUEUED job with its options and a policy for exactly that key and size', async () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const result = await createImportUpload({ ...ctx(), now: () => now }, { userId: 'u-1', fileName: 'My Export.ZIP', bytes: 1234, options: { mirror: true } });
    expect(result.key).toBe(`imports/u-1/${result.importId}.zip`);
    expect(result.importId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.upload.fields.key).toBe(result.key);

    const job = await getJob(jobContextOf(ctx()), { userId: 'u-1', importId: result.importId });
    expect(job).toMatchObject({ status: 'QUEUED', options: { mirror: true }, source: { key: result.key, bytes: 1234, name: 'My Export.ZIP' } });

    const policy = JSON.parse(Buffer.from(result.upload.fields.Policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toEqual(
      expect.arrayContaining([{ bucket: resources.bucket }, { key: result.key }, ['content-length-range', 1234, 1234]]),
    );
    const lifetime = (Date.parse(policy.expiration) - Date.now()) / 1000;
    expect(lifetime).toBeGreaterThan(uploadExpirySeconds - 60);
    expect(lifetime).toBeLessThanOrEqual(uploadExpirySeconds);
  });

  it('refuses other files, empty files and unsafe user ids', async () => {
    await expect(createImportUpload(ctx(), { userId: 'u-1', fileName: 'export.tar', bytes: 10 })).rejects.toBeInstanceOf(InvalidUploadRequest);
    await expect(createImportUpload(ctx(), { userId: 'u-1', fileName: 'export.zip', bytes: 0 })).rejects.toBeInstanceOf(InvalidUploadRequest);
    await expect(createImportUpload(ctx(), { userId: '../x', fileName: 'export.zip', bytes: 10 })).rejects.toBeInstanceOf(InvalidUploadRequest);
  });

  it('uploads a file with the browser form (fields, then the file) to the fixed key', async () => {
    const file = join(workDir, 'conversations.json');
    const content = JSON.stringify([{ id: 'c1', title: 'hello' }]);
    await writeFile(file, content);
    const result = await createImportUpload(ctx(), { userId: 'u-2', fileName: 'conversations.json', bytes: Buffer.byteLength(content) });
    await postUpload(result.upload, file);
    const { Body } = await resources.clients.s3.send(new GetObjectCommand({ Bucket: resources.bucket, Key: result.key }));
    expect(await Body!.transformToString()).toBe(content);
  });
});
