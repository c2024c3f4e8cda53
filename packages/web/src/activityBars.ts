// The activity chart's geometry: one slot per month from the first to the last (empty months
// included, so gaps show), a bar for conversations and one for messages, each on its own scale.

import type { MonthActivity } from '@threadline/core/httpApi/apiResponses';

export interface ActivityBar {
  month: string;
  x: number;
  width: number;
  conversationsHeight: number;
  messagesHeight: number;
  conversations: number;
  messages: number;
}

export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = last.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}

export function activityBars(activity: readonly MonthActivity[], width: number, height: number): ActivityBar[] {
  if (activity.length === 0) return [];
  const sorted = [...activity].sort((a, b) => a.month.localeCompare(b.month));
  const byMonth = new Map(sorted.map((entry) => [entry.month, entry]));
  const months = monthsBetween(sorted[0]!.month, sorted[sorted.length - 1]!.month);
  const maxConversations = Math.max(1, ...sorted.map((entry) => entry.conversations));
  const maxMessages = Math.max(1, ...sorted.map((entry) => entry.messages));
  const slot = width / months.length;
  const barWidth = Math.max(1, slot * 0.38);
  return months.map((month, index) => {
    const entry = byMonth.get(month) ?? { month, conversations: 0, messages: 0 };
    return {
      month,
      x: index * slot + slot * 0.1,
      width: barWidth,
      conversationsHeight: (entry.conversations / maxConversations) * height,
      messagesHeight: (entry.messages / maxMessages) * height,
      conversations: entry.conversations,
      messages: entry.messages,
    };
  });
}
