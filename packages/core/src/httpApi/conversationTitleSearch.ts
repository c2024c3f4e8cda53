// Title search without a search index: read the user's listing newest first, a page at a time,
// and keep matching titles, stopping at a page size of matches or a scan budget, whichever comes
// first. The cursor resumes where the scan stopped, so "more" keeps searching older pages.

import type { ConversationSummary } from '../archive/conversationItems';
import { listConversations } from '../archive/listConversations';
import type { StoreContext } from '../archive/storeContext';

/** How many conversations one request may read while searching (a few DynamoDB pages). */
export const searchScanBudget = 2000;
const scanPageSize = 200;

export interface TitleSearchPage {
  items: ConversationSummary[];
  cursor: string | null;
  /** How many conversations this request read (equals items.length without a search). */
  scanned: number;
}

export async function searchConversationTitles(
  ctx: StoreContext,
  userId: string,
  options: { q: string; limit?: number; cursor?: string },
): Promise<TitleSearchPage> {
  const limit = options.limit ?? 50;
  if (options.q === '') {
    const page = await listConversations(ctx, userId, { limit, cursor: options.cursor });
    return { ...page, scanned: page.items.length };
  }
  const needle = options.q.toLocaleLowerCase();
  const items: ConversationSummary[] = [];
  let cursor: string | null = options.cursor ?? null;
  let scanned = 0;
  do {
    // Whole pages only: a cursor can resume after a page, not inside one. So a page may return a
    // few more matches than `limit`, never fewer than exist in what it read.
    const page = await listConversations(ctx, userId, { limit: scanPageSize, cursor: cursor ?? undefined });
    scanned += page.items.length;
    items.push(...page.items.filter((conversation) => conversation.title.toLocaleLowerCase().includes(needle)));
    cursor = page.cursor;
  } while (cursor && items.length < limit && scanned < searchScanBudget);
  return { items, cursor, scanned };
}
