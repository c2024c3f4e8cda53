// What keeping the local engine's execution history on disk costs: the same executions, each
// reporting as many history events as a large import (a 1 GB export: ~400 chunks), through a
// registry with the on-disk journal and through one without (the baseline, in memory only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionJournal } from '../src/stepFunctions/executionJournal';
import { ExecutionRegistry } from '../src/stepFunctions/executionRegistry';

const machineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:bench';
const executions = 20;
const eventsPerExecution = 2_500;

async function run(registry: ExecutionRegistry): Promise<number> {
  registry.register(machineArn, async ({ report }) => {
    for (let i = 0; i < eventsPerExecution; i++) {
      report({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: 'ProcessChunk', input: JSON.stringify({ importId: 'bench', chunkIndex: i }) } });
    }
    return { ok: true };
  });
  const started = performance.now();
  for (let n = 0; n < executions; n++) registry.start(machineArn, `bench-${n}`, '{"importId":"bench"}');
  await registry.drain();
  return (performance.now() - started) / 1000;
}

const directory = mkdtempSync(join(tmpdir(), 'threadline-journal-bench-'));
try {
  await run(new ExecutionRegistry()); // warm-up
  const memory = await run(new ExecutionRegistry());
  const disk = await run(new ExecutionRegistry(new ExecutionJournal(directory)));
  const restoreStarted = performance.now();
  const restored = new ExecutionRegistry(new ExecutionJournal(directory));
  restored.restore();
  const restoreSeconds = (performance.now() - restoreStarted) / 1000;
  const events = executions * (eventsPerExecution + 2);
  console.log(JSON.stringify({ events, memorySeconds: memory, diskSeconds: disk, restoreSeconds }));
} finally {
  rmSync(directory, { recursive: true, force: true });
}
