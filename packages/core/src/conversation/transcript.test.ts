import { describe, expect, it } from 'vitest';
import type { NormalizedMessage } from './normalizedConversation';
import { renderRawText } from './rawText';
import { renderTranscript } from './transcript';

function msg(fields: Partial<NormalizedMessage>): NormalizedMessage {
  return {
    id: 'm',
    position: 0,
    role: 'user',
    author_name: null,
    content_type: 'text',
    text: '',
    create_time: null,
    model: null,
    recipient: 'all',
    attachments: [],
    asset_pointers: [],
    ...fields,
  };
}

describe('renderTranscript', () => {
  it('fences code with its language and a fence longer than any backtick run inside', () => {
    const code = msg({ id: 'c', role: 'assistant', content_type: 'code', text: 'x = "```"' });
    expect(renderTranscript([code], new Map([['c', 'python']]))).toBe('**Assistant:**\n\n````python\nx = "```"\n````');
    expect(renderTranscript([code], new Map([['c', 'unknown']]))).toBe('**Assistant:**\n\n````\nx = "```"\n````');
  });

  it('folds browsing results and keeps a fold from being closed by its content', () => {
    const tool = msg({ role: 'tool', author_name: 'browser', content_type: 'tether_browsing_display', text: 'a </details> b' });
    expect(renderTranscript([tool])).toBe(
      '**Tool (browser):**\n\n<details><summary>Browsing results</summary>\n\na &lt;/details&gt; b\n\n</details>',
    );
  });

  it('labels unknown roles and renders plain text', () => {
    const messages = [msg({ text: 'hi' }), msg({ role: 'critic', text: 'meh' })];
    expect(renderTranscript(messages)).toBe('**User:**\n\nhi\n\n**Critic:**\n\nmeh');
    expect(renderRawText(messages)).toBe('User: hi\n\nCritic: meh');
  });
});
