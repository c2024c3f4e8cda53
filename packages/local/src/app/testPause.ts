// A test-only hook: THREADLINE_TEST_PAUSE=<Task state>:<before|after>[:<nth call>] makes the local
// system stop dead at that point of an import — it writes the point to THREADLINE_TEST_PAUSE_FILE
// and never returns — so an end-to-end test can SIGKILL the process at a known step (during split,
// between chunks, in finalize). Unset (always, outside those tests) it changes nothing.

import { writeFileSync } from 'node:fs';
import type { TaskHandler } from '../engine/localStateMachine';

interface PausePoint {
  state: string;
  when: 'before' | 'after';
  nth: number;
}

function pausePointOf(spec: string | undefined): PausePoint | null {
  if (!spec) return null;
  const [state, when, nth] = spec.split(':');
  if (!state || (when !== 'before' && when !== 'after')) throw new Error(`THREADLINE_TEST_PAUSE must be <state>:<before|after>[:<n>], got ${spec}`);
  return { state, when, nth: nth ? Number(nth) : 1 };
}

export function withTestPause(handlers: Record<string, TaskHandler>, env: NodeJS.ProcessEnv = process.env): Record<string, TaskHandler> {
  const point = pausePointOf(env.THREADLINE_TEST_PAUSE);
  if (!point) return handlers;
  const handler = handlers[point.state];
  if (!handler) throw new Error(`THREADLINE_TEST_PAUSE names no Task state: ${point.state}`);
  let calls = 0;
  const pause = (): Promise<never> => {
    if (env.THREADLINE_TEST_PAUSE_FILE) writeFileSync(env.THREADLINE_TEST_PAUSE_FILE, `${point.state}:${point.when}:${point.nth}\n`);
    return new Promise<never>(() => undefined);
  };
  const paused: TaskHandler = async (event, context) => {
    const call = ++calls;
    if (point.when === 'before' && call === point.nth) return pause();
    const result = await handler(event, context);
    if (point.when === 'after' && call === point.nth) return pause();
    return result;
  };
  return { ...handlers, [point.state]: paused };
}
