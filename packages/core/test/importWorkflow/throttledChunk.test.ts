// A chunk whose writes stay throttled after the store's own retries is thrown back to the
// workflow as StoreThrottled (the ASL retries it later) instead of counting its conversations as
// failed. DynamoDB Local never throttles, so the error is injected with SDK middleware on the real
// client: every real call still runs, only BatchWriteItem's answer is replaced.

import { beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/importWorkflow/steps/acquireLock';
import { jobContextOf, type ImportContext } from '../../src/importWorkflow/importContext';
import { processChunk } from '../../src/importWorkflow/steps/processChunk';
import { splitArchive } from '../../src/importWorkflow/steps/splitArchive';
import { workflowErrorNames } from '../../src/importWorkflow/workflowErrors';
import { getJob } from '../../src/importWorkflow/job/jobRepository';
import { isFileId } from '../../src/archive/assetKeys';
import { storedConversationFiles } from '../../src/archive/assetReferences';
import { messageFiles } from '../../src/conversation/messageFiles';
import { normalizeConversation } from '../../src/conversation/normalizeConversation';
import { useIsolatedResources } from '../../../../test/support/isolatedResources';
import { importContextOf, manifestLines, rawConversations, uploadExport } from './importTestKit';

let ctx: ImportContext;

beforeAll(async () => {
  ctx = importContextOf(await useIsolatedResources('throttled-chunk'));
});

/** The chunk event of an export of `raw` conversations, split (they fit one chunk). */
async function oneChunk(raw: Record<string, unknown>[]) {
  const input = await uploadExport(ctx, Buffer.from(JSON.stringify(raw)), { extension: 'json' });
  await acquireLock(ctx, input);
  await splitArchive(ctx, input);
  const [line] = await manifestLines(ctx, input.importId);
  return { input, event: { importId: input.importId, userId: input.userId, chunkIndex: line!.chunk, chunk: line! } };
}

/** Runs `run` while every BatchWriteItem that `refused` picks is answered as throttled. */
async function whileThrottled(refused: (input: unknown) => boolean, run: () => Promise<void>): Promise<void> {
  const name = 'throttle-batch-writes';
  ctx.clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand' || !refused(args.input)) return next(args);
      throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ProvisionedThroughputExceededException' });
    },
    { step: 'build', name },
  );
  try {
    await run();
  } finally {
    ctx.clients.dynamo.middlewareStack.remove(name);
  }
}

describe('a throttled chunk', () => {
  it('is thrown back as StoreThrottled with nothing counted, and a later run of it succeeds', async () => {
    const { input, event } = await oneChunk(rawConversations(5, 41));
    await whileThrottled(
      () => true,
      () => expect(processChunk(ctx, event)).rejects.toMatchObject({ name: workflowErrorNames.storeThrottled }),
    );
    const throttled = await getJob(jobContextOf(ctx), input);
    expect(throttled!.chunks_done).toBe(0);
    expect(throttled!.counts.conversations_failed).toBe(0);

    // The workflow's retry of the same chunk, once capacity is back.
    await expect(processChunk(ctx, event)).resolves.toMatchObject({ recorded: 'recorded', failed: 0 });
    const done = await getJob(jobContextOf(ctx), input);
    expect(done!.chunks_done).toBe(1);
    expect(done!.counts.conversations_created).toBe(5);
  });

  it('whose file reference writes stay throttled is thrown back too, and its retry links every file', async () => {
    // Generated conversations point at files (their pointers need not be in the export).
    const raw = rawConversations(12, 43);
    const withFiles = raw
      .map((conversation, index) => normalizeConversation(conversation, index))
      .flatMap((result) => (result.ok ? [result.conversation] : []))
      .filter((conversation) => conversation.messages.some((message) => messageFiles(message).length > 0));
    expect(withFiles.length).toBeGreaterThan(0);
    const { input, event } = await oneChunk(raw);

    // Only the writes of file references (the conversation side's partition) are refused.
    await whileThrottled(
      (batch) => JSON.stringify(batch).includes('#CONVFILES#'),
      () => expect(processChunk(ctx, event)).rejects.toMatchObject({ name: workflowErrorNames.storeThrottled, message: expect.stringContaining('file reference writes') }),
    );
    expect((await getJob(jobContextOf(ctx), input))!.chunks_done).toBe(0);

    await expect(processChunk(ctx, event)).resolves.toMatchObject({ recorded: 'recorded', failed: 0 });
    for (const conversation of withFiles) {
      const expected = [...new Set(conversation.messages.flatMap((message) => messageFiles(message).map((file) => file.fileId)))].filter(isFileId).sort();
      expect((await storedConversationFiles(ctx, input.userId, conversation.conversation_id)).sort()).toEqual(expected);
    }
  });
});
