import { readFile } from 'node:fs/promises';
import type { NormalizedConversation } from '@threadline/core/conversation/normalizedConversation';
import { getConversation } from '@threadline/core/archive/getConversation';
import { listConversations } from '@threadline/core/archive/listConversations';
import { listMessages } from '@threadline/core/archive/listMessages';
import type { StoreContext } from '@threadline/core/archive/storeContext';
import { convertExport } from '@threadline/local/cli/convertCommand';

/** What `threadline convert` makes of an export: the reference the archive must equal. */
export async function convertedConversations(exportPath: string, jsonlPath: string): Promise<NormalizedConversation[]> {
  await convertExport(exportPath, jsonlPath);
  const lines = (await readFile(jsonlPath, 'utf8')).split('\n').filter(Boolean);
  return lines.map((line) => JSON.parse(line) as NormalizedConversation).sort(byId);
}

/** Everything the archive holds for a user, in the same shape as convert's output. */
export async function archivedConversations(ctx: StoreContext, userId: string): Promise<NormalizedConversation[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listConversations(ctx, userId, { limit: 200, cursor });
    ids.push(...page.items.map((item) => item.conversation_id));
    cursor = page.cursor ?? undefined;
  } while (cursor);
  const conversations = await Promise.all(
    ids.map(async (id) => {
      const stored = await getConversation(ctx, userId, id);
      if (!stored) throw new Error(`listed conversation ${id} has no META`);
      const { import_id: _importId, stored_at: _storedAt, ...fields } = stored;
      const messages = [];
      let messageCursor: string | undefined;
      do {
        const page = await listMessages(ctx, userId, id, { limit: 1000, cursor: messageCursor });
        messages.push(...page.items);
        messageCursor = page.cursor ?? undefined;
      } while (messageCursor);
      return { ...fields, messages } as NormalizedConversation;
    }),
  );
  return conversations.sort(byId);
}

function byId(a: NormalizedConversation, b: NormalizedConversation): number {
  return a.conversation_id < b.conversation_id ? -1 : a.conversation_id > b.conversation_id ? 1 : 0;
}
