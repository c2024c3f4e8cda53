// The archive: activity per month, title search, and conversations newest first, a page at a time.

import type { Activity, ApiResponseBodies, ConversationSummary } from '@threadline/core/httpApi/apiResponses';
import { el } from '../element';
import { formatCount } from '../numberFormat';
import type { View, ViewContext } from '../view';
import { activityChart } from './activityChart';

export function conversationsPage(ctx: ViewContext, query: string): View {
  const search = el('input', { type: 'search', name: 'q', value: query, placeholder: 'Search titles', 'aria-label': 'Search conversation titles' });
  const form = el('form', { class: 'search', role: 'search' }, search, el('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = search.value.trim();
    ctx.navigate(q ? `#/conversations?q=${encodeURIComponent(q)}` : '#/conversations');
  });
  const inMessages = el('a', { href: query ? `#/search?q=${encodeURIComponent(query)}` : '#/search', class: 'small' }, query ? `Search “${query}” in every message →` : 'Search every message →');
  const list = el('ul', { class: 'conversation-list' });
  const status = el('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading…');
  const more = el('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const chart = el('div', { class: 'chart-slot' });
  let cursor: string | null = null;
  let searched = 0;

  const load = async () => {
    more.disabled = true;
    try {
      const params = new URLSearchParams({ limit: '25' });
      if (query) params.set('q', query);
      if (cursor) params.set('cursor', cursor);
      const page = await ctx.api<ApiResponseBodies['GET /conversations']>(`/conversations?${params}`);
      list.append(...page.items.map(conversationItem));
      cursor = page.cursor;
      more.hidden = cursor === null;
      searched += page.scanned;
      const shown = list.children.length;
      status.textContent =
        shown > 0
          ? `${formatCount(shown)} shown${cursor ? '' : ' (all)'}`
          : !query
            ? 'No conversations yet: import an export first.'
            : cursor
              // A title search reads a bounded number of conversations per request: none matched yet, more remain.
              ? `No titles contain “${query}” in the ${formatCount(searched)} newest conversations; “Load more” searches older ones.`
              : `No titles contain “${query}”.`;
    } catch (error) {
      status.textContent = (error as Error).message;
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  void load();
  void ctx.api<Activity>('/activity').then(
    (activity) => chart.replaceChildren(activityChart(activity.months)),
    () => chart.replaceChildren(),
  );

  const element = el(
    'div',
    { class: 'stack' },
    el('section', { class: 'card', 'aria-labelledby': 'activity-heading' }, el('h2', { id: 'activity-heading' }, 'Activity'), chart),
    el('section', { class: 'card', 'aria-labelledby': 'conversations-heading' }, el('h1', { id: 'conversations-heading' }, 'Conversations'), form, inMessages, list, status, more),
  );
  return { element };
}

function conversationItem(conversation: ConversationSummary): HTMLElement {
  return el(
    'li',
    {},
    el('a', { href: `#/conversations/${encodeURIComponent(conversation.conversation_id)}` }, conversation.title || 'Untitled'),
    el('span', { class: 'muted small numbers' }, [conversation.date ?? 'undated', `${formatCount(conversation.message_count)} messages`, conversation.model].filter(Boolean).join(' · ')),
  );
}
