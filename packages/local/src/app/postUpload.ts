import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/**
 * Uploads a file with a presigned POST exactly as a browser form does: multipart/form-data, the
 * policy's fields first and the file LAST (S3 ignores fields after it). `openAsBlob` makes a
 * file-backed Blob, which fetch streams from disk: memory stays flat whatever the export's size.
 */
export async function postUpload(upload: { url: string; fields: Record<string, string> }, filePath: string): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', await openAsBlob(filePath), basename(filePath));
  const response = await fetch(upload.url, { method: 'POST', body: form });
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? body.slice(0, 200);
    throw new Error(`upload refused by S3 (HTTP ${response.status}): ${message}`);
  }
  await response.body?.cancel();
}
