// One stored conversation (without its messages), transcript and raw text decompressed or resolved
// from S3 when they were offloaded. Null when the user has no such conversation.

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { storedConversationFromItem, type ConversationMetaItem, type StoredConversation } from './conversationItems';
import { metaKey } from './conversationKeys';
import { inlineMetaTexts } from './metaTexts';
import { resolveText } from './offloadedObjects';
import type { StoreContext } from './storeContext';

export async function getConversation(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
): Promise<StoredConversation | null> {
  const output = await ctx.clients.dynamo.send(
    new GetCommand({ TableName: ctx.resources.tables.Conversations, Key: metaKey(userId, conversationId) }),
  );
  if (!output.Item) return null;
  const item = output.Item as ConversationMetaItem;
  const inline = inlineMetaTexts(item);
  const [transcript, raw_text] = await Promise.all([
    resolveText(ctx, inline.transcript, item.transcript_ref),
    resolveText(ctx, inline.raw_text, item.raw_text_ref),
  ]);
  return storedConversationFromItem(item, { transcript, raw_text });
}
