// Serves a built page on a free loopback port, as the static site does on AWS: files by path,
// anything else index.html. The same file serving `npm start` uses, without its API.

import http from 'node:http';
import { serveStaticFile } from '../../packages/local/src/server/staticFiles';

export interface StaticFiles {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  close(): Promise<void>;
}

export async function serveStaticFiles(root: string): Promise<StaticFiles> {
  const server = http.createServer((request, response) => {
    void serveStaticFile(root, new URL(request.url ?? '/', 'http://page').pathname, response, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
