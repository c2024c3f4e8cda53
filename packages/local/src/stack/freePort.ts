import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on 127.0.0.1. For processes we cannot ask to bind port 0
 * themselves (DynamoDB Local): the caller retries on the rare race where someone takes it first.
 */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not read the free port'))));
    });
  });
}
