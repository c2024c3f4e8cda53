// The whole of Threadline on this machine: the local system (DynamoDB Local, s3rver, the Step
// Functions endpoint running the real workflow), and the page with its API on one origin.

import { fileURLToPath } from 'node:url';
import { defaultLocalUser, localUserVariable } from '@threadline/core/httpApi/requestUser';
import { startLocalSystem, type LocalSystem, type LocalSystemOptions } from '../app/localSystem';
import { startWebServer } from './webServer';

export const defaultWebRoot = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export interface LocalAppOptions extends LocalSystemOptions {
  port?: number;
  host?: string;
  webRoot?: string;
  /** The identity every request is served as (no sign-in locally). */
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
    // The handler reads the identity from this process's env, which only this server sets.
    const userId = localUser ?? process.env[localUserVariable] ?? defaultLocalUser;
    process.env[localUserVariable] = userId;
    // Loaded after the system set the env (SST_RESOURCE_*, endpoints), as a fresh Lambda would be.
    const { handler } = await import('@threadline/functions/api/httpApi');
    const server = await startWebServer({
      port,
      host,
      webRoot,
      apiHandler: handler,
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
