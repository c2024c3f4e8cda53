import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PassThrough, Readable } from 'node:stream';
import type { ByteSource } from '../chatgptExport/byteSource';

/**
 * An S3 object as a random-access ByteSource: ranged GETs, so a ZIP is read from its central
 * directory without downloading the archive first (a Lambda's /tmp and memory stay free).
 * `name` is what messages call it: for an upload, the file name the user picked.
 */
export function s3ObjectSource(s3: S3Client, bucket: string, key: string, name = `s3://${bucket}/${key}`): ByteSource {
  let size: Promise<number> | undefined;
  return {
    name,
    size() {
      size ??= s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then((head) => head.ContentLength ?? 0);
      return size;
    },
    stream(start, end) {
      const output = new PassThrough();
      const range = `bytes=${start}-${end ?? ''}`;
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }))
        .then((response) => {
          const body = response.Body as Readable;
          body.on('error', (error) => output.destroy(error));
          body.pipe(output);
        })
        .catch((error: unknown) => output.destroy(error as Error));
      return output;
    },
  };
}
