// The full list of an import's failed conversations, as one JSON document in S3. The list is
// streamed from an (async) iterable and uploaded in parts, so it is never held whole in memory:
// a report of a million failures costs one part buffer.

import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { objectKeys } from '../../archive/objectKeys';
import type { JobFailure } from './importJob';
import { currentTime, type JobStoreContext } from './jobStoreContext';

export interface FailureReport {
  import_id: string;
  user_id: string;
  generated_at: string;
  failures: JobFailure[];
  /** Written last, once the streamed list is complete. */
  failure_count: number;
}

/** S3 parts must be ≥ 5 MiB except the last. */
const defaultPartBytes = 8 * 1024 * 1024;

/** Writes the report under objectKeys.report; returns its key and how many failures it lists. */
export async function writeFailureReport(
  ctx: JobStoreContext,
  userId: string,
  importId: string,
  failures: AsyncIterable<JobFailure> | Iterable<JobFailure>,
  options: { partBytes?: number } = {},
): Promise<{ key: string; count: number }> {
  const key = objectKeys.report(userId, importId);
  const upload = new ReportUpload(ctx, key, options.partBytes ?? defaultPartBytes);
  try {
    const head = { import_id: importId, user_id: userId, generated_at: currentTime(ctx).toISOString() };
    await upload.write(`${JSON.stringify(head).slice(0, -1)},"failures":[`);
    let count = 0;
    for await (const failure of failures) {
      await upload.write(`${count === 0 ? '\n' : ',\n'}${JSON.stringify(reportEntry(failure))}`);
      count++;
    }
    await upload.write(`\n],"failure_count":${count}}\n`);
    await upload.finish();
    return { key, count };
  } catch (error) {
    await upload.abort();
    throw error;
  }
}

export async function readFailureReport(ctx: JobStoreContext, userId: string, importId: string): Promise<FailureReport | null> {
  try {
    const { Body } = await ctx.clients.s3.send(
      new GetObjectCommand({ Bucket: ctx.bucket, Key: objectKeys.report(userId, importId) }),
    );
    return Body ? (JSON.parse(await Body.transformToString('utf8')) as FailureReport) : null;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return null;
    throw error;
  }
}

function reportEntry(failure: JobFailure): JobFailure {
  return {
    ...(failure.index !== undefined ? { index: failure.index } : {}),
    conversation_id: failure.conversation_id,
    reason: failure.reason,
  };
}

/** One PutObject when the report fits one part; a multipart upload once it outgrows it. */
class ReportUpload {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private uploadId: string | null = null;
  private readonly parts: CompletedPart[] = [];

  constructor(
    private readonly ctx: JobStoreContext,
    private readonly key: string,
    private readonly partBytes: number,
  ) {}

  async write(text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    this.buffered.push(bytes);
    this.bufferedBytes += bytes.length;
    if (this.bufferedBytes >= this.partBytes) await this.flushPart();
  }

  async finish(): Promise<void> {
    const s3 = this.ctx.clients.s3;
    if (this.uploadId === null) {
      await s3.send(
        new PutObjectCommand({ Bucket: this.ctx.bucket, Key: this.key, Body: this.take(), ContentType: 'application/json' }),
      );
      return;
    }
    if (this.bufferedBytes > 0) await this.flushPart();
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.ctx.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
    this.uploadId = null;
  }

  async abort(): Promise<void> {
    if (this.uploadId === null) return;
    const uploadId = this.uploadId;
    this.uploadId = null;
    await this.ctx.clients.s3
      .send(new AbortMultipartUploadCommand({ Bucket: this.ctx.bucket, Key: this.key, UploadId: uploadId }))
      .catch(() => undefined); // the original error matters more; S3 lifecycle rules clean leftovers
  }

  private async flushPart(): Promise<void> {
    const s3 = this.ctx.clients.s3;
    if (this.uploadId === null) {
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: this.ctx.bucket, Key: this.key, ContentType: 'application/json' }),
      );
      if (!UploadId) throw new Error('S3 returned no upload id');
      this.uploadId = UploadId;
    }
    const PartNumber = this.parts.length + 1;
    const { ETag } = await s3.send(
      new UploadPartCommand({ Bucket: this.ctx.bucket, Key: this.key, UploadId: this.uploadId, PartNumber, Body: this.take() }),
    );
    this.parts.push({ ETag, PartNumber });
  }

  private take(): Buffer {
    const body = Buffer.concat(this.buffered);
    this.buffered = [];
    this.bufferedBytes = 0;
    return body;
  }
}
