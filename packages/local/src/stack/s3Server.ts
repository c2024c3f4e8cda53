import { createCipheriv } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import { s3TestPause, type TestPause } from '../app/testPause';

export interface S3Server {
  endpoint: string;
  /**
   * Re-emits s3rver's `'event'` (an S3 notification, `S3Event` shape) on every object
   * created/removed. Unlike real S3, `Records[].s3.object.key` is NOT URL-encoded here.
   */
  events: EventEmitter<{ event: [S3Event] }>;
  stop(): Promise<void>;
}

/**
 * Permissive CORS for local use: the web page (another origin) uploads with a presigned POST and
 * reads back through the API. Apply with PutBucketCors on buckets created at run time.
 */
export const permissiveCorsRules = [
  {
    AllowedOrigins: ['*'],
    AllowedMethods: ['GET', 'PUT', 'POST', 'HEAD', 'DELETE'],
    AllowedHeaders: ['*'],
    ExposeHeaders: ['ETag'],
    MaxAgeSeconds: 3000,
  },
];

/**
 * s3rver in this process (so its event emitter can start imports), storing files under
 * `directory`, on a port the OS picks. Buckets are created through the API (createResources).
 */
export async function startS3Server(options: { directory: string; testPause?: TestPause }): Promise<S3Server> {
  warnWithoutLegacyOpenSsl();
  const directory = resolve(options.directory);
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const testPause = s3TestPause(options.testPause);
  if (testPause) server.middleware.unshift(testPause);
  const address = await server.run();
  const events = new EventEmitter<{ event: [S3Event] }>();
  server.on('event', (event: S3Event) => events.emit('event', event));
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    events,
    stop: async () => {
      server.removeAllListeners('event');
      await server.close();
    },
  };
}

/** s3rver's ListObjectsV2 continuation tokens use DES, which OpenSSL 3 only has in its legacy provider. */
function warnWithoutLegacyOpenSsl(): void {
  try {
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch {
    console.warn('s3rver: paginated ListObjectsV2 will fail (HTTP 500) unless Node runs with NODE_OPTIONS=--openssl-legacy-provider');
  }
}
