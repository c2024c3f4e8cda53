// GET /activity: conversations and messages per month (of create_time), for the page's chart.
// Read through the listing a page at a time, bounded, so a huge archive answers with the newest
// part and says it was cut.

import { listConversations } from '../archive/listConversations';
import type { RouteHandler } from './apiTypes';
import type { ApiResponseBodies } from './apiResponses';

const activityScanBudget = 20_000;

export interface MonthActivity {
  /** YYYY-MM (UTC). */
  month: string;
  conversations: number;
  messages: number;
}

export const getActivity: RouteHandler = async (ctx, request) => {
  const byMonth = new Map<string, MonthActivity>();
  let cursor: string | null = null;
  let scanned = 0;
  let undated = 0;
  do {
    const page = await listConversations(ctx, request.user.userId, { limit: 200, cursor: cursor ?? undefined });
    for (const conversation of page.items) {
      scanned++;
      const month = conversation.create_time?.slice(0, 7);
      if (!month || !/^\d{4}-\d{2}$/.test(month)) {
        undated++;
        continue;
      }
      const entry = byMonth.get(month) ?? { month, conversations: 0, messages: 0 };
      entry.conversations++;
      entry.messages += conversation.message_count;
      byMonth.set(month, entry);
    }
    cursor = page.cursor;
  } while (cursor && scanned < activityScanBudget);
  const months = [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
  return { statusCode: 200, body: { months, undated, scanned, truncated: cursor !== null } satisfies ApiResponseBodies['GET /activity'] };
};
