import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ArchiveResources } from '@threadline/core/aws/archiveResources';
import type { AwsClients } from '@threadline/core/aws/awsClients';
import { createImportUpload } from '@threadline/core/importWorkflow/upload/createImportUpload';
import { jobContextOf } from '@threadline/core/importWorkflow/importContext';
import type { ImportJob } from '@threadline/core/importWorkflow/job/importJob';
import { followImportJob, type FollowOptions } from './followImportJob';
import { postUpload } from './postUpload';
import { uploadParts, type UploadPartsOptions } from './uploadParts';
import { completeMultipartUpload, defaultUploadLimits, type UploadLimits } from '@threadline/core/importWorkflow/upload/multipartUpload';

export interface ImportFileRequest {
  filePath: string;
  userId: string;
  mirror?: boolean;
}

/**
 * One import the way the browser does it: ask for an upload (job QUEUED, presigned POST — or
 * multipart above 5 GB), send the file to S3, then follow the job the upload's event started
 * until it ends.
 */
export async function importExportFile(
  target: { clients: AwsClients; resources: ArchiveResources },
  request: ImportFileRequest,
  follow: FollowOptions & { onUploaded?(importId: string): void; onUploadProgress?(sent: number, total: number): void; uploadLimits?: UploadLimits; parts?: UploadPartsOptions } = {},
): Promise<ImportJob> {
  const { size } = await stat(request.filePath);
  const ctx = { clients: target.clients, resources: target.resources };
  const limits = follow.uploadLimits ?? defaultUploadLimits;
  const { importId, key, upload, multipart } = await createImportUpload(
    ctx,
    { userId: request.userId, fileName: basename(request.filePath), bytes: size, options: { mirror: request.mirror ?? false } },
    limits,
  );
  if (multipart) {
    const parts = await uploadParts(multipart, request.filePath, { ...follow.parts, onProgress: (sent) => follow.onUploadProgress?.(sent, size) });
    await completeMultipartUpload(ctx, key, multipart.uploadId, size, parts, limits);
  } else {
    await postUpload(upload!, request.filePath);
  }
  follow.onUploadProgress?.(size, size);
  follow.onUploaded?.(importId);
  return followImportJob(jobContextOf(ctx), { userId: request.userId, importId }, follow);
}
