import { Command } from 'commander';
import type { NormalizedMessage } from '@threadline/core/conversation/normalizedConversation';
import type { StoredConversation } from '@threadline/core/archive/conversationItems';
import type { MessageWithAssets } from '@threadline/core/archive/messageAssets';
import { writeOutput } from './standardOutput';

/** `threadline show <id>`: one archived conversation's transcript (or, with --json, everything stored). */
export function showCommand(fail: (error: unknown) => never): Command {
  return new Command('show')
    .description('Print the transcript of an archived conversation')
    .argument('<conversationId>', 'an id from `threadline conversations`')
    .option('--user <id>', 'the archive user', 'local')
    .option('--json', 'print { conversation, messages } as one JSON object (each message with its assets)', false)
    .action(async (conversationId: string, options: { user: string; json: boolean }) => {
      const stored = await readConversation(options.user, conversationId).catch(fail);
      if (!stored) fail(new Error(`no conversation ${conversationId} for user ${options.user}`));
      const { conversation, messages } = stored;
      await writeOutput(
        options.json
          ? JSON.stringify({ conversation, messages }) + '\n'
          : `# ${conversation.title}\n${conversation.date ?? ''} ${conversation.time ?? ''} · ${conversation.message_count} messages\n\n${conversation.transcript}\n`,
      );
      process.exit(0);
    });
}

async function readConversation(userId: string, conversationId: string): Promise<{ conversation: StoredConversation; messages: MessageWithAssets[] } | null> {
  // Loaded when run, so `threadline --help` does not load the AWS SDK.
  const [{ getConversation }, { listMessages }, { withMessageAssets }, { withArchiveReader }] = await Promise.all([
    import('@threadline/core/archive/getConversation'),
    import('@threadline/core/archive/listMessages'),
    import('@threadline/core/archive/messageAssets'),
    import('./withArchiveReader'),
  ]);
  return withArchiveReader(async (system) => {
    const conversation = await getConversation(system, userId, conversationId);
    if (!conversation) return null;
    const messages: NormalizedMessage[] = [];
    let cursor: string | undefined;
    do {
      const page = await listMessages(system, userId, conversationId, { limit: 1000, cursor });
      messages.push(...page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return { conversation, messages: await withMessageAssets(system, userId, messages) };
  });
}
