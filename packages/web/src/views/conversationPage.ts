// One conversation: its messages in thread order, Markdown rendered safely, tool traffic and
// thoughts folded, files shown with their message; a Markdown download of the whole transcript
// (linking the files), and delete.


import type { LinkedAsset } from '@threadline/core/httpApi/assetUrls';
import type { MessageWithLinks, Page, StoredConversation } from '@threadline/core/httpApi/apiResponses';
import { assetElements, markdownWithFiles } from '../messageAssets';
import { el } from '../element';
import { foldLabelOf, isVerbatim } from '../messageFolding';
import { formatCount, formatDateTime } from '../numberFormat';
import { renderMarkdown } from '../renderMarkdown';
import type { View, ViewContext } from '../view';

const roleNames: Record<string, string> = { user: 'You', assistant: 'ChatGPT', system: 'System', tool: 'Tool' };

/** `focus`: the position of a message to scroll to and mark (a search hit), loading pages up to it. */
export function conversationPage(ctx: ViewContext, conversationId: string, focus: number | null = null): View {
  const path = `/conversations/${encodeURIComponent(conversationId)}`;
  const heading = el('h1', {}, 'Conversation');
  const meta = el('p', { class: 'muted small' }, '\u00a0');
  const actions = el('div', { class: 'actions' });
  const messages = el('div', { class: 'messages' });
  const status = el('p', { class: 'muted', 'aria-live': 'polite' }, 'Loading…');
  const more = el('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more messages');
  let cursor: string | null = null;
  const loadedAssets: LinkedAsset[] = [];

  const loadMessages = async () => {
    more.disabled = true;
    try {
      const page = await ctx.api<Page<MessageWithLinks>>(`${path}/messages?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      messages.append(...page.items.map(messageElement));
      for (const item of page.items) loadedAssets.push(...(item.assets ?? []));
      cursor = page.cursor;
      more.hidden = cursor === null;
      status.textContent = '';
      if (focus !== null) {
        const target = messages.querySelector<HTMLElement>(`[data-position="${focus}"]`);
        if (target) {
          target.classList.add('focused');
          target.querySelector('details')?.setAttribute('open', '');
          target.scrollIntoView({ block: 'center' });
          focus = null;
        } else if (cursor !== null) {
          void loadMessages();
        }
      }
    } catch (error) {
      status.textContent = (error as Error).message;
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => void loadMessages());

  void ctx.api<StoredConversation>(path).then(
    (conversation) => {
      heading.textContent = conversation.title || 'Untitled';
      document.title = `${conversation.title || 'Untitled'} · Threadline`;
      meta.textContent = [formatDateTime(conversation.create_time), `${formatCount(conversation.message_count)} messages`, conversation.model].filter(Boolean).join(' · ');
      actions.replaceChildren(downloadButton(conversation, loadedAssets), deleteButton(ctx, path));
      void loadMessages();
    },
    (error: Error) => {
      status.textContent = error.message;
    },
  );

  const element = el(
    'article',
    { class: 'card conversation' },
    el('p', { class: 'links' }, el('a', { href: '#/conversations' }, '← All conversations')),
    heading,
    meta,
    actions,
    messages,
    status,
    more,
  );
  return { element, dispose: () => void (document.title = 'Threadline') };
}

function messageElement(message: MessageWithLinks): HTMLElement {
  const body = el('div', { class: 'message-body' });
  if (isVerbatim(message)) body.append(el('pre', {}, el('code', {}, message.text)));
  // Safe: renderMarkdown disables raw HTML and filters link schemes (see renderMarkdown.ts).
  else body.innerHTML = renderMarkdown(message.text);
  const files = assetElements(message.assets ?? []);
  if (files) body.append(files);
  const who = roleNames[message.role] ?? message.role;
  const label = foldLabelOf(message);
  const header = el('div', { class: 'message-role' }, who, message.model ? el('span', { class: 'muted small' }, ` · ${message.model}`) : null);
  if (label) {
    return el('section', { class: `message message-${message.role} folded`, 'data-position': message.position }, el('details', {}, el('summary', {}, label), body));
  }
  return el('section', { class: `message message-${message.role}`, 'data-position': message.position }, header, body);
}

function downloadButton(conversation: StoredConversation, assets: readonly LinkedAsset[]): HTMLElement {
  const button = el('button', { type: 'button', class: 'secondary' }, 'Download Markdown');
  button.addEventListener('click', () => {
    const blob = new Blob([`# ${conversation.title}\n\n${markdownWithFiles(conversation.transcript, assets)}\n`], { type: 'text/markdown' });
    const link = el('a', { href: URL.createObjectURL(blob), download: `${(conversation.title || 'conversation').replace(/[^\w -]+/g, '').slice(0, 80) || 'conversation'}.md` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  });
  return button;
}

function deleteButton(ctx: ViewContext, path: string): HTMLElement {
  const button = el('button', { type: 'button', class: 'danger' }, 'Delete');
  button.addEventListener('click', () => {
    if (!window.confirm('Delete this conversation from your archive? A later import of an export that contains it brings it back.')) return;
    button.disabled = true;
    void ctx.api(path, { method: 'DELETE' }).then(
      () => ctx.navigate('#/conversations'),
      (error: Error) => {
        button.disabled = false;
        window.alert(error.message);
      },
    );
  });
  return button;
}
