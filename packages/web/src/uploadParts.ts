// A multipart upload from the page (exports above S3's 5 GB POST limit): each part's slice of
// the file PUT to its presigned URL, four at a time, a failed part retried, progress summed over
// the parts in flight. Returns each part's ETag (the bucket's CORS rule exposes it) for completing.

import type { MultipartUploadPlan, UploadedPart } from '@threadline/core/importWorkflow/upload/multipartUpload';

const PARTS_IN_FLIGHT = 4;
const ATTEMPTS = 4;

export function uploadParts(plan: MultipartUploadPlan, file: File, onProgress: (sent: number, total: number) => void): { done: Promise<UploadedPart[]>; abort(): void } {
  const inFlight = new Map<number, XMLHttpRequest>();
  const loaded = new Map<number, number>();
  let aborted = false;
  const report = () => onProgress([...loaded.values()].reduce((sum, bytes) => sum + bytes, 0), file.size);

  const putOnce = (part: MultipartUploadPlan['parts'][number]) =>
    new Promise<string>((resolve, reject) => {
      const request = new XMLHttpRequest();
      inFlight.set(part.partNumber, request);
      request.upload.onprogress = (event) => {
        loaded.set(part.partNumber, event.loaded);
        report();
      };
      request.onload = () => {
        const etag = request.getResponseHeader('ETag');
        if (request.status >= 200 && request.status < 300 && etag) resolve(etag);
        else reject(new Error(`part ${part.partNumber} was refused (HTTP ${request.status})`));
      };
      request.onerror = () => reject(new Error(`part ${part.partNumber} failed: the storage service could not be reached`));
      request.onabort = () => reject(new Error('the upload was cancelled'));
      request.open('PUT', part.url);
      request.send(file.slice(part.offset, part.offset + part.bytes));
    }).finally(() => inFlight.delete(part.partNumber));

  const done = (async () => {
    const uploaded: UploadedPart[] = [];
    let next = 0;
    const worker = async () => {
      while (next < plan.parts.length) {
        const part = plan.parts[next++]!;
        for (let attempt = 1; ; attempt++) {
          try {
            uploaded.push({ partNumber: part.partNumber, etag: await putOnce(part) });
            loaded.set(part.partNumber, part.bytes);
            report();
            break;
          } catch (error) {
            loaded.set(part.partNumber, 0);
            if (aborted || attempt >= ATTEMPTS) throw error;
            await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, plan.parts.length) }, worker));
    return uploaded.sort((a, b) => a.partNumber - b.partNumber);
  })();
  return {
    done,
    abort: () => {
      aborted = true;
      for (const request of inFlight.values()) request.abort();
    },
  };
}
