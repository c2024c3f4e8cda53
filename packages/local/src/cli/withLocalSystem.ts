import { connectLocalSystem, type LocalSystemConnection } from '../app/localSystemConnection';
import { resolveDataDirectory } from '../stack/dataDirectory';
import { sendFunctionLogsTo } from './functionLogFile';

/**
 * Runs `work` on the data directory's local system — the one already running (`npm start`, another
 * command) or one started for the duration — with the handlers' logs going to the data directory,
 * so stdout stays the command's own.
 */
export async function withLocalSystem<T>(work: (system: LocalSystemConnection) => Promise<T>): Promise<T> {
  const dataDir = resolveDataDirectory();
  sendFunctionLogsTo(dataDir);
  const system = await connectLocalSystem(dataDir);
  try {
    return await work(system);
  } finally {
    await system.close();
  }
}
