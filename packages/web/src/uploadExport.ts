// Uploads the export straight to S3 with the presigned POST: every policy field first, the file
// LAST (S3 ignores fields after it). XMLHttpRequest because fetch reports no upload progress.

import type { CreatedImport } from '@threadline/core/httpApi/apiResponses';

export type PresignedUpload = NonNullable<CreatedImport['upload']>;

export function uploadExport(upload: PresignedUpload, file: File, onProgress: (sent: number, total: number) => void): { done: Promise<void>; abort(): void } {
  const request = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', file, file.name);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(file.size, file.size);
        resolve();
      } else {
        const message = /<Message>([^<]*)<\/Message>/.exec(request.responseText)?.[1];
        reject(new Error(`the upload was refused (HTTP ${request.status})${message ? `: ${message}` : ''}`));
      }
    };
    request.onerror = () => reject(new Error('the upload failed: the storage service could not be reached'));
    request.onabort = () => reject(new Error('the upload was cancelled'));
    request.open('POST', upload.url);
    request.send(form);
  });
  return { done, abort: () => request.abort() };
}
