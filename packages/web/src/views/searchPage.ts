// Full-text search over every message: ranked hits, one per conversation, each with its best
// messages; a hit opens the conversation at the matching message.

import type { SearchHit, SearchResult } from '@threadline/core/httpApi/apiResponses';
import { el } from '../element';
import { highlightedText } from '../highlightedText';
import { formatCount } from '../numberFormat';
import type { View, ViewContext } from '../view';

const filterNames = ['from', 'to', 'model'] as const;

export function searchPage(ctx: ViewContext, params: URLSearchParams): View {
  const q = params.get('q') ?? '';
  const input = el('input', { type: 'search', name: 'q', value: q, placeholder: 'Words or a "quoted phrase"', 'aria-label': 'Search all messages' });
  const from = el('input', { type: 'date', name: 'from', value: params.get('from') ?? '', 'aria-label': 'Created on or after' });
  const to = el('input', { type: 'date', name: 'to', value: params.get('to') ?? '', 'aria-label': 'Created on or before' });
  const model = el('input', { type: 'text', name: 'model', value: params.get('model') ?? '', placeholder: 'model, e.g. gpt-4o', 'aria-label': 'Model', size: 14 });
  const form = el(
    'form',
    { class: 'search', role: 'search' },
    input,
    el('button', { type: 'submit' }, 'Search'),
  );
  const filters = el('div', { class: 'search-filters small' }, el('label', {}, 'From ', from), el('label', {}, 'To ', to), el('label', {}, 'Model ', model));
  const submit = (event: Event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (input.value.trim()) next.set('q', input.value.trim());
    for (const [name, field] of [['from', from], ['to', to], ['model', model]] as const) if (field.value.trim()) next.set(name, field.value.trim());
    ctx.navigate(`#/search?${next}`);
  };
  form.addEventListener('submit', submit);
  for (const field of [from, to, model]) field.addEventListener('change', submit);

  const list = el('ol', { class: 'search-hits' });
  const status = el('p', { class: 'muted', 'aria-live': 'polite' }, q ? 'Searching…' : 'Search every message of your archive: all words must occur in one message.');
  const more = el('button', { type: 'button', class: 'secondary', hidden: true }, 'More results');
  let cursor: string | null = null;

  const load = async () => {
    more.disabled = true;
    try {
      const query = new URLSearchParams({ q, limit: '20' });
      for (const name of filterNames) {
        const value = params.get(name);
        if (value) query.set(name, value);
      }
      if (cursor) query.set('cursor', cursor);
      const result = await ctx.api<SearchResult>(`/search?${query}`);
      list.append(...result.hits.map(hitItem));
      cursor = result.cursor;
      more.hidden = cursor === null;
      const shown = list.children.length;
      status.textContent =
        shown === 0 && cursor === null
          ? `Nothing matches “${q}”.`
          : `${formatCount(shown)} of ${result.total_exact ? '' : 'up to '}${formatCount(result.total)} conversations${cursor && shown === 0 ? ' so far' : ''}`;
    } catch (error) {
      status.textContent = (error as Error).message;
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void load());
  if (q) void load();

  const element = el(
    'section',
    { class: 'card', 'aria-labelledby': 'search-heading' },
    el('h1', { id: 'search-heading' }, 'Search'),
    form,
    filters,
    list,
    status,
    more,
  );
  return { element };
}

function hitItem(hit: SearchHit): HTMLElement {
  const href = (position: number) => `#/conversations/${encodeURIComponent(hit.conversation_id)}?message=${position}`;
  return el(
    'li',
    { class: 'search-hit' },
    el('a', { href: href(hit.position), class: 'search-hit-title' }, hit.title || 'Untitled'),
    el('span', { class: 'muted small numbers' }, [hit.create_time?.slice(0, 10) ?? 'undated', hit.model].filter(Boolean).join(' · ')),
    el(
      'ul',
      { class: 'search-snippets' },
      hit.messages.map((message) =>
        el('li', {}, el('a', { href: href(message.position), class: 'snippet' }, el('span', { class: 'muted small' }, `#${message.position + 1} `), ...highlightedText(message.text, message.highlights))),
      ),
    ),
  );
}
