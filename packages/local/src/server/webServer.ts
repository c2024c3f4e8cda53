// One local HTTP server for the page and its API, same origin: `/api/*` goes to the HTTP API's
// Lambda handler (as API Gateway would call it), everything else is the built page.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2 } from 'aws-lambda';
import { apiGatewayEventOf } from './apiGatewayEvent';
import { serveStaticFile } from './staticFiles';

export const apiBasePath = '/api';
/** API Gateway's own payload limit is 10 MB; our routes take small JSON (exports go to S3). */
const maxBodyBytes = 1024 * 1024;

export type HttpApiHandler = (event: APIGatewayProxyEventV2WithJWTAuthorizer) => Promise<APIGatewayProxyResultV2>;

export interface WebServerOptions {
  port: number;
  /** The built page (vite's outDir). */
  webRoot: string;
  apiHandler: HttpApiHandler;
  /** Origins the page may upload to (the local S3 endpoint), for the Content-Security-Policy. */
  uploadOrigins: string[];
  host?: string;
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const webRoot = resolve(options.webRoot);
  // Defence in depth for untrusted conversation content: no inline or foreign scripts at all.
  const pageHeaders = {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      // Stored files load from presigned S3 URLs (s3rver locally).
      `img-src 'self' data: ${options.uploadOrigins.join(' ')}`,
      `media-src 'self' ${options.uploadOrigins.join(' ')}`,
      `connect-src 'self' ${options.uploadOrigins.join(' ')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      console.error('local server:', error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'internal error; the server log has the details' }));
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    if (url.pathname === apiBasePath || url.pathname.startsWith(`${apiBasePath}/`)) {
      const body = await readBody(request);
      if (body === 'too-large') {
        sendJson(response, 413, { error: `the request body is larger than ${maxBodyBytes / 1024} KB` });
        return;
      }
      const path = url.pathname.slice(apiBasePath.length) || '/';
      const result = await options.apiHandler(apiGatewayEventOf(request, path, url.search.slice(1), body));
      if (typeof result === 'string') {
        sendJson(response, 200, result);
        return;
      }
      response.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>) });
      response.end(result.body ?? '');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' });
      response.end();
      return;
    }
    await serveStaticFile(webRoot, url.pathname, response, pageHeaders);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        // Browsers keep connections alive; without this, close() waits for them.
        server.closeAllConnections();
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<string | null | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    // Keep draining past the limit so the 413 reaches the client instead of a reset connection.
    if (size <= maxBodyBytes) chunks.push(chunk as Buffer);
  }
  if (size > maxBodyBytes) return 'too-large';
  return size === 0 ? null : Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}
