import type { LocalSystemConnection } from '../app/localSystemConnection';
import { resolveDataDirectory } from '../stack/dataDirectory';
import { functionLogFile } from './functionLogFile';

/**
 * Runs `work` on the data directory's local system — the one already running (`npm start`, another
 * command) or one started for the duration — with the handlers' logs going to the data directory,
 * so stdout stays the command's own.
 */
export async function withLocalSystem<T>(work: (system: LocalSystemConnection) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDirectory();
  // Loaded here, not at the top: the whole system (engine, handlers, s3rver) is only needed now,
  // and `threadline --help` or a read from the data file should not pay for loading it.
  const [{ connectLocalSystem }, { localSystemOptionsFromEnvironment }] = await Promise.all([
    import('../app/localSystemConnection'),
    import('../app/localSystemEnvironment'),
  ]);
  const system = await connectLocalSystem(dataDir, { ...localSystemOptionsFromEnvironment(process.env), log: functionLogFile(dataDir) });
  try {
    return await work(system);
  } finally {
    await system.close();
  }
}
