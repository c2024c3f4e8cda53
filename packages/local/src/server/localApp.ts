// The whole of Threadline on this machine: the local system (DynamoDB Local, s3rver, the Step
// Functions endpoint running the real workflow), and the page with its API on one origin.

import { fileURLToPath } from 'node:url';
import { defaultLocalUser } from '@threadline/core/httpApi/requestUser';
import { httpApiHandler } from '@threadline/functions/api/httpApiHandler';
import { startLocalSystem, type LocalSystem, type LocalSystemOptions } from '../app/localSystem';
import { startWebServer } from './webServer';

export const defaultWebRoot = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export interface LocalAppOptions extends LocalSystemOptions {
  port?: number;
  host?: string;
  webRoot?: string;
  /** The identity every request is served as (no sign-in locally); default `local`. */
  localUser?: string;
}

export interface LocalApp {
  url: string;
  userId: string;
  system: LocalSystem;
  stop(): Promise<void>;
}

export async function startLocalApp(options: LocalAppOptions = {}): Promise<LocalApp> {
  const { port = 3000, host, webRoot = defaultWebRoot, localUser, ...systemOptions } = options;
  const system = await startLocalSystem(systemOptions);
  try {
    const userId = localUser ?? defaultLocalUser;
    // The deployed API handler, given this system's context and the server's identity.
    const apiHandler = httpApiHandler(() => ({ ...system.apiContext, localUser: userId }));
    const server = await startWebServer({
      port,
      host,
      webRoot,
      apiHandler,
      uploadOrigins: [system.env.AWS_ENDPOINT_URL_S3!],
    });
    let stopped: Promise<void> | undefined;
    return {
      url: server.url,
      userId,
      system,
      stop: () => {
        stopped ??= (async () => {
          await server.close();
          await system.stop();
        })();
        return stopped;
      },
    };
  } catch (error) {
    await system.stop();
    throw error;
  }
}
