import type { LocalSystemOptions } from './localSystem';

/**
 * The local system's knobs a process takes from its environment — the CLI and `npm start` are
 * the edges that read it; nothing below them does. All are for tests and trials:
 *   THREADLINE_CHUNK_CONVERSATIONS      conversations per chunk (many chunks from a small export)
 *   THREADLINE_MULTIPART_ABOVE_BYTES    the local API's multipart threshold (multipart without 5 GB)
 *   THREADLINE_TEST_PAUSE[_FILE]        a point to stop dead at (see testPause.ts)
 * A value that is not a positive whole number is ignored, as before.
 */
export function localSystemOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Pick<LocalSystemOptions, 'chunkConversations' | 'multipartAboveBytes' | 'testPause'> {
  const chunkConversations = positiveInteger(env.THREADLINE_CHUNK_CONVERSATIONS);
  const multipartAboveBytes = positiveInteger(env.THREADLINE_MULTIPART_ABOVE_BYTES);
  const point = env.THREADLINE_TEST_PAUSE;
  return {
    ...(chunkConversations ? { chunkConversations } : {}),
    ...(multipartAboveBytes ? { multipartAboveBytes } : {}),
    ...(point ? { testPause: { point, ...(env.THREADLINE_TEST_PAUSE_FILE ? { file: env.THREADLINE_TEST_PAUSE_FILE } : {}) } } : {}),
  };
}

function positiveInteger(value: string | undefined): number | undefined {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
}
