import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImportUpload, InvalidUploadRequest, uploadExpirySeconds } from '@threadline/core/importWorkflow/upload/createImportUpload';
import { jobContextOf } from '@threadline/core/importWorkflow/importContext';
import { getJob } from '@threadline/core/importWorkflow/job/jobRepository';
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
    expect(result.upload!.fields.key).toBe(result.key);

    const job = await getJob(jobContextOf(ctx()), { userId: 'u-1', importId: result.importId });
    expect(job).toMatchObject({ status: 'QUEUED', options: { mirror: true }, source: { key: result.key, bytes: 1234, name: 'My Export.ZIP' } });

    const policy = JSON.parse(Buffer.from(result.upload!.fields.Policy, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
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
    await postUpload(result.upload!, file);
    const { Body } = await resources.clients.s3.send(new GetObjectCommand({ Bucket: resources.bucket, Key: result.key }));
    expect(await Body!.transformToString()).toBe(content);
  });
});

describe('multipart uploads (above the POST limit)', () => {
  const limits = { multipartAboveBytes: 1024 * 1024, minPartBytes: 5 * 1024 * 1024 };

  it('plans parts of the planned size, sends them in parallel retrying a failed one, and completes only the exact file', async () => {
    const { uploadParts } = await import('../../src/app/uploadParts');
    const { completeMultipartUpload } = await import('@threadline/core/importWorkflow/upload/multipartUpload');
    const file = join(workDir, 'big-export.zip');
    const content = Buffer.alloc(11 * 1024 * 1024 + 123);
    for (let i = 0; i < content.length; i += 4096) content[i] = i % 251;
    await writeFile(file, content);
    const result = await createImportUpload(ctx(), { userId: 'u-3', fileName: 'big-export.zip', bytes: content.length }, limits);
    expect(result.upload).toBeNull();
    expect(result.multipart!.parts.map((part) => part.bytes)).toEqual([5 * 1024 * 1024, 5 * 1024 * 1024, 1024 * 1024 + 123]);
    let failedOnce = false;
    const flaky: typeof fetch = async (url, init) => {
      if (!failedOnce && String(url).includes('partNumber=2')) {
        failedOnce = true;
        throw new Error('connection reset');
      }
      return fetch(url, init);
    };
    const progress: number[] = [];
    const parts = await uploadParts(result.multipart!, file, { fetch: flaky, sleep: async () => undefined, onProgress: (sent) => progress.push(sent) });
    expect(failedOnce).toBe(true);
    expect(progress.at(-1)).toBe(content.length);
    expect(parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
    await completeMultipartUpload(ctx(), result.key, result.multipart!.uploadId, content.length, parts, limits);
    const { Body } = await resources.clients.s3.send(new GetObjectCommand({ Bucket: resources.bucket, Key: result.key }));
    expect(Buffer.from(await Body!.transformToByteArray()).equals(content)).toBe(true);
  });

  it('refuses to complete an upload missing a part, and deletes one that is not the declared size', async () => {
    const { completeMultipartUpload, IncompleteUpload } = await import('@threadline/core/importWorkflow/upload/multipartUpload');
    const size = 6 * 1024 * 1024;
    const result = await createImportUpload(ctx(), { userId: 'u-4', fileName: 'export.zip', bytes: size }, limits);
    const [first, second] = result.multipart!.parts;
    const put = async (url: string, bytes: number) => ({ etag: (await fetch(url, { method: 'PUT', body: Buffer.alloc(bytes) })).headers.get('etag')! });
    const one = { partNumber: 1, ...(await put(first!.url, first!.bytes)) };
    const missing = await completeMultipartUpload(ctx(), result.key, result.multipart!.uploadId, size, [one], limits).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(IncompleteUpload);
    expect((missing as Error).message).toBe('the upload is incomplete: 1 of 2 parts were sent (part 2 is missing)');
    const short = { partNumber: 2, ...(await put(second!.url, second!.bytes - 1)) };
    await expect(completeMultipartUpload(ctx(), result.key, result.multipart!.uploadId, size, [one, short], limits)).rejects.toThrow(
      `the uploaded parts add up to ${size - 1} bytes, not the ${size} declared; upload the file again`,
    );
    await expect(resources.clients.s3.send(new GetObjectCommand({ Bucket: resources.bucket, Key: result.key }))).rejects.toThrow();
  });

  it('takes exports up to 50 GiB', async () => {
    const result = await createImportUpload(ctx(), { userId: 'u-5', fileName: 'huge.zip', bytes: 50 * 1024 ** 3 });
    expect(result.multipart!.parts).toHaveLength(800);
    await expect(createImportUpload(ctx(), { userId: 'u-5', fileName: 'huge.zip', bytes: 50 * 1024 ** 3 + 1 })).rejects.toThrow('between 1 byte and 50 GiB');
  });
});
