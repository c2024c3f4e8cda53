import { Command } from 'commander';
import type { ConversationSummary } from '@threadline/core/archive/conversationItems';
import { writeOutput } from './standardOutput';

/** `threadline conversations`: what the archive holds for a user, newest first. */
export function conversationsCommand(fail: (error: unknown) => never): Command {
  return new Command('conversations')
    .description('List the archived conversations of a user, newest first')
    .option('--user <id>', 'the archive user', 'local')
    .option('--json', 'print a JSON array (conversation_id, title, message_count, content_hash, times, …)', false)
    .action(async (options: { user: string; json: boolean }) => {
      const conversations = await readConversations(options.user).catch(fail);
      await writeOutput(options.json ? JSON.stringify(conversations) + '\n' : conversationsTable(conversations));
      process.exit(0);
    });
}

async function readConversations(userId: string): Promise<ConversationSummary[]> {
  // Loaded when run, so `threadline --help` does not load the AWS SDK.
  const [{ listConversations }, { withArchiveReader }] = await Promise.all([
    import('@threadline/core/archive/listConversations'),
    import('./withArchiveReader'),
  ]);
  return withArchiveReader(async (system) => {
    const all: ConversationSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await listConversations(system, userId, { limit: 200, cursor });
      all.push(...page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return all;
  });
}

function conversationsTable(conversations: ConversationSummary[]): string {
  if (conversations.length === 0) return 'no conversations\n';
  return (
    conversations
      .map((c) => [c.conversation_id, String(c.message_count).padStart(5), c.content_hash.slice(0, 12), c.title].join('  '))
      .join('\n') + '\n'
  );
}
