// The CLI's side of a multipart upload (above S3's 5 GB POST limit): each part's bytes PUT to its
// presigned URL, a few at a time, a failed part retried, progress in bytes. Parts are read from
// the file as slices, never the whole file in memory.

import { openAsBlob } from 'node:fs';
import type { MultipartUploadPlan, UploadedPart } from '@threadline/core/importWorkflow/upload/multipartUpload';

export interface UploadPartsOptions {
  partsInFlight?: number;
  /** Attempts per part before the upload gives up. */
  attempts?: number;
  onProgress?(sentBytes: number): void;
  /** Waits between attempts (tests pass one that does not sleep). */
  sleep?(ms: number): Promise<void>;
  /** The HTTP client (tests inject a failing request). */
  fetch?: typeof fetch;
}

/** Sends every part; returns their ETags for completing the upload. */
export async function uploadParts(plan: MultipartUploadPlan, filePath: string, options: UploadPartsOptions = {}): Promise<UploadedPart[]> {
  const file = await openAsBlob(filePath);
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  let sent = 0;
  let next = 0;
  const uploaded: UploadedPart[] = [];
  const sendPart = async (part: MultipartUploadPlan['parts'][number]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await (options.fetch ?? fetch)(part.url, { method: 'PUT', body: file.slice(part.offset, part.offset + part.bytes) });
        if (!response.ok) throw new Error(`part ${part.partNumber} refused by S3 (HTTP ${response.status}): ${(await response.text().catch(() => '')).slice(0, 200)}`);
        await response.body?.cancel();
        const etag = response.headers.get('etag');
        if (!etag) throw new Error(`S3 returned no ETag for part ${part.partNumber}`);
        uploaded.push({ partNumber: part.partNumber, etag });
        sent += part.bytes;
        options.onProgress?.(sent);
        return;
      } catch (error) {
        if (attempt >= attempts) throw new Error(`the upload failed: part ${part.partNumber} after ${attempt} attempts: ${(error as Error).message}`);
        await sleep(500 * 2 ** (attempt - 1));
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.partsInFlight ?? 4, plan.parts.length) }, async () => {
      while (next < plan.parts.length) await sendPart(plan.parts[next++]!);
    }),
  );
  return uploaded.sort((a, b) => a.partNumber - b.partNumber);
}
