import { setTimeout as sleep } from 'node:timers/promises';
import type { ArchiveResources } from '@threadline/core/aws/archiveResources';
import { createAwsClients, type AwsClients } from '@threadline/core/aws/awsClients';
import { startLocalSystem, stdoutLog, type FunctionLog, type LocalSystemOptions } from './localSystem';
import { DataDirectoryInUse, isProcessAlive, runningSystemState, type SystemState } from './systemStateFile';

export interface LocalSystemConnection {
  clients: AwsClients;
  resources: ArchiveResources;
  env: Record<string, string>;
  /** The import workflow's state machine ARN on the local endpoint. */
  workflowArn: string;
  /** True when another process runs the system (its state file named a live pid). */
  shared: boolean;
  /** The caller's log (`options.log`), for the use-cases it runs itself (a retry). */
  log: FunctionLog;
  close(): Promise<void>;
}

/** How long a process that started the system waits for others' executions before it stops it. */
const othersGraceMs = 15 * 60_000;

/**
 * The system of a data directory: the one another process runs (`npm start`, another import),
 * found through its state file, or else one started here for as long as the caller needs it.
 */
export async function connectLocalSystem(dataDir: string, options: Omit<LocalSystemOptions, 'dataDir'> = {}): Promise<LocalSystemConnection> {
  const log = options.log ?? stdoutLog;
  const running = await runningSystemState(dataDir);
  if (running) return sharedConnection(running, log);
  try {
    const system = await startLocalSystem({ ...options, dataDir });
    // Other processes may have imports running on this system: let them finish before stopping.
    const close = () => system.stop({ graceMs: othersGraceMs });
    return { clients: system.clients, resources: system.resources, env: system.env, workflowArn: system.workflowArn, shared: false, log, close };
  } catch (error) {
    if (!(error instanceof DataDirectoryInUse)) throw error;
    // Another process is starting the system right now: use it once it is up.
    return sharedConnection(await startedSystemState(dataDir, error.pid), log);
  }
}

async function startedSystemState(dataDir: string, pid: number): Promise<SystemState> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const state = await runningSystemState(dataDir);
    if (state) return state;
    if (!isProcessAlive(pid) || Date.now() > deadline) throw new Error(`the local system starting on ${dataDir} (pid ${pid}) never came up`);
    await sleep(250);
  }
}

function sharedConnection(running: SystemState, log: FunctionLog): LocalSystemConnection {
  const clients = createAwsClients(running.env);
  return {
    clients,
    resources: running.resources,
    env: running.env,
    workflowArn: running.workflowArn,
    shared: true,
    log,
    close: async () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
