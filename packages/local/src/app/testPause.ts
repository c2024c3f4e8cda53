// A test-only hook: a pause point (the local system's `testPause` option; the CLI takes it from
// THREADLINE_TEST_PAUSE and THREADLINE_TEST_PAUSE_FILE) stops the local system dead at a known
// point of an import — it writes the point to the file and never goes on — so an end-to-end test
// can SIGKILL the process there. Two kinds of point:
//   <Task state>:<before|after>[:<nth call>]   e.g. ProcessChunk:after:2 (two chunks recorded)
//   s3:<METHOD>:<key prefix>[:<nth request>]    e.g. s3:GET:imports/:2 (split mid-read)
// Unset (always, outside those tests) it changes nothing.

/** Where to pause, and the file that says the pause was reached. */
export interface TestPause {
  point: string;
  file?: string;
}

import { writeFileSync } from 'node:fs';
import type { TaskHandler } from '../engine/localStateMachine';

type PausePoint =
  | { kind: 'task'; state: string; when: 'before' | 'after'; nth: number }
  | { kind: 's3'; method: string; keyPrefix: string; nth: number };

function pausePointOf(spec: string | undefined): PausePoint | null {
  if (!spec) return null;
  const parts = spec.split(':');
  if (parts[0] === 's3' && parts[1] && parts[2]) return { kind: 's3', method: parts[1].toUpperCase(), keyPrefix: parts[2], nth: Number(parts[3] ?? 1) };
  const [state, when, nth] = parts;
  if (state && (when === 'before' || when === 'after')) return { kind: 'task', state, when, nth: Number(nth ?? 1) };
  throw new Error(`a test pause must be <state>:<before|after>[:<n>] or s3:<METHOD>:<key prefix>[:<n>], got ${spec}`);
}

function pause(testPause: TestPause): Promise<never> {
  if (testPause.file) writeFileSync(testPause.file, `${testPause.point}\n`);
  return new Promise<never>(() => undefined);
}

/** The Task handlers, one of them pausing at the configured call. */
export function withTestPause(handlers: Record<string, TaskHandler>, testPause: TestPause | undefined): Record<string, TaskHandler> {
  const point = pausePointOf(testPause?.point);
  if (!testPause || point?.kind !== 'task') return handlers;
  const handler = handlers[point.state];
  if (!handler) throw new Error(`the test pause names no Task state: ${point.state}`);
  let calls = 0;
  const paused: TaskHandler = async (event, context) => {
    const call = ++calls;
    if (point.when === 'before' && call === point.nth) return pause(testPause);
    const result = await handler(event, context);
    if (point.when === 'after' && call === point.nth) return pause(testPause);
    return result;
  };
  return { ...handlers, [point.state]: paused };
}

interface KoaContext {
  method: string;
  path: string;
}

/** A middleware for s3rver (a Koa app) that never answers the configured request; null when none is configured. */
export function s3TestPause(testPause: TestPause | undefined): ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>) | null {
  const point = pausePointOf(testPause?.point);
  if (!testPause || point?.kind !== 's3') return null;
  let requests = 0;
  return async (ctx, next) => {
    // Path-style: /<bucket>/<key>.
    const key = decodeURIComponent(ctx.path).split('/').slice(2).join('/');
    if (ctx.method === point.method && key.startsWith(point.keyPrefix) && ++requests === point.nth) return pause(testPause);
    return next();
  };
}
