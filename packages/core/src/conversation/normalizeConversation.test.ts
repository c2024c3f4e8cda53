import { describe, expect, it } from 'vitest';
import type { NormalizedConversation } from './normalizedConversation';
import { normalizeConversation } from './normalizeConversation';
import { chainNodes, conversation, message, node } from './rawConversationBuilder.fixture';

function normalized(raw: unknown): NormalizedConversation {
  const result = normalizeConversation(raw, 0);
  if (!result.ok) throw new Error(`expected ok, got ${result.failure.reason}`);
  return result.conversation;
}

describe('normalizeConversation', () => {
  it('normalizes a plain conversation', () => {
    const raw = conversation(
      [
        node('root', null),
        node('sys', 'root', message('sys', 'system', '', { metadata: { is_visually_hidden_from_conversation: true } })),
        node('u', 'sys', message('u', 'user', 'Hello?', { create_time: 1_700_000_001 })),
        node(
          'a',
          'u',
          message('a', 'assistant', 'Hi!', { create_time: 1_700_000_002.25, metadata: { model_slug: 'gpt-4o' } }),
        ),
      ],
      { title: 'Greeting', is_archived: true, create_time: 1_700_000_000.5 },
    );
    const result = normalized(raw);
    expect(result).toMatchObject({
      conversation_id: 'conv-1',
      title: 'Greeting',
      create_time: '2023-11-14T22:13:20.500Z',
      update_time: '2023-11-14T22:28:20.250Z',
      date: '2023-11-14',
      time: '22:13',
      model: 'gpt-4o',
      is_archived: true,
      message_count: 2,
      warnings: [],
    });
    expect(result.messages).toEqual([
      {
        id: 'u',
        position: 0,
        role: 'user',
        author_name: null,
        content_type: 'text',
        text: 'Hello?',
        create_time: '2023-11-14T22:13:21.000Z',
        model: null,
        recipient: 'all',
        attachments: [],
        asset_pointers: [],
      },
      expect.objectContaining({ id: 'a', position: 1, role: 'assistant', text: 'Hi!', model: 'gpt-4o' }),
    ]);
    expect(result.transcript).toBe('**User:**\n\nHello?\n\n**Assistant:**\n\nHi!');
    expect(result.raw_text).toBe('User: Hello?\n\nAssistant: Hi!');
    expect(result.content_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('uses id when conversation_id is absent, and "Untitled" for a null or blank title', () => {
    expect(normalized(conversation(chainNodes(['x']), { conversation_id: undefined, id: 'only-id', title: null }))).toMatchObject({
      conversation_id: 'only-id',
      title: 'Untitled',
    });
    expect(normalized(conversation(chainNodes(['x']), { title: '  ' })).title).toBe('Untitled');
  });

  it('fails with "missing id" when there is neither id nor conversation_id', () => {
    expect(normalizeConversation(conversation(chainNodes(['x']), { id: null, conversation_id: null }), 7)).toEqual({
      ok: false,
      failure: { index: 7, conversation_id: null, reason: 'missing id' },
    });
  });

  it('fails, without throwing, on a non-object', () => {
    for (const raw of [null, 'text', 42, ['array']]) {
      const result = normalizeConversation(raw, 3);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.failure).toMatchObject({ index: 3, conversation_id: null, reason: expect.stringMatching(/^not a conversation object/) });
    }
  });

  it('turns an unexpected error into a failure with the id', () => {
    const raw = conversation(chainNodes(['x']));
    Object.defineProperty(raw, 'mapping', {
      get() {
        throw new Error('boom');
      },
    });
    expect(normalizeConversation(raw, 1)).toEqual({
      ok: false,
      failure: { index: 1, conversation_id: 'conv-1', reason: 'could not be read: boom' },
    });
  });

  it('keeps a conversation with no mapping, with a warning and no messages', () => {
    const result = normalized({ id: 'bare', title: 'Corrupted', create_time: 1_700_000_000 });
    expect(result).toMatchObject({ conversation_id: 'bare', message_count: 0, messages: [], transcript: '', raw_text: '' });
    expect(result.warnings).toEqual(['conversation has no mapping: no messages']);
  });

  it('keeps a conversation with no visible messages, with a warning', () => {
    const raw = conversation([node('root', null), node('sys', 'root', message('sys', 'system', 'prompt'))]);
    const result = normalized(raw);
    expect(result.message_count).toBe(0);
    expect(result.warnings).toEqual(['conversation has no visible messages']);
  });

  it('falls back to the earliest and latest visible message times when the conversation has none', () => {
    const raw = conversation(
      [
        node('root', null),
        node('u', 'root', message('u', 'user', 'q', { create_time: 1_600_000_000 })),
        node('a', 'u', message('a', 'assistant', 'r', { create_time: null })),
        node('u2', 'a', message('u2', 'user', 'q2', { create_time: 1_600_000_060 })),
      ],
      { create_time: null, update_time: null },
    );
    const result = normalized(raw);
    expect(result).toMatchObject({
      create_time: '2020-09-13T12:26:40.000Z',
      update_time: '2020-09-13T12:27:40.000Z',
      date: '2020-09-13',
      time: '12:26',
    });
    expect(result.messages[1].create_time).toBeNull();
  });

  it('leaves times null when nothing has one', () => {
    const raw = conversation([node('root', null), node('u', 'root', message('u', 'user', 'q', { create_time: null }))], {
      create_time: null,
      update_time: undefined,
    });
    expect(normalized(raw)).toMatchObject({ create_time: null, update_time: null, date: null, time: null });
  });

  it('keeps create_time > update_time as given', () => {
    const result = normalized(conversation(chainNodes(['x']), { create_time: 1_700_000_100, update_time: 1_700_000_000 }));
    expect(result.create_time).toBe('2023-11-14T22:15:00.000Z');
    expect(result.update_time).toBe('2023-11-14T22:13:20.000Z');
  });

  it('takes the model from default_model_slug, else the most frequent message model', () => {
    const withModels = (slugs: string[]) =>
      chainNodes(slugs.map((_, i) => `text ${i}`)).map((entry, i) =>
        entry.message ? { ...entry, message: { ...entry.message, metadata: { model_slug: slugs[i - 1] } } } : entry,
      );
    expect(normalized(conversation(withModels(['a', 'b', 'b']), { default_model_slug: 'gpt-5' })).model).toBe('gpt-5');
    expect(normalized(conversation(withModels(['a', 'b', 'b']))).model).toBe('b');
    expect(normalized(conversation(withModels(['b', 'a'])))).toMatchObject({ model: 'a' }); // tie → used last
    expect(normalized(conversation(chainNodes(['x']))).model).toBeNull();
  });

  it('keeps tool calls, tool output, code and thoughts visible with their role and content_type', () => {
    const raw = conversation([
      node('root', null),
      node('u', 'root', message('u', 'user', 'compute')),
      node('t', 'u', message('t', 'assistant', '', { content: { content_type: 'thoughts', thoughts: [{ summary: 'Plan', content: 'use python' }] } })),
      node('c', 't', message('c', 'assistant', '', { content: { content_type: 'code', language: 'python', text: 'print(2)' }, recipient: 'python' })),
      node('o', 'c', message('o', 'tool', '', { author: { role: 'tool', name: 'python' }, content: { content_type: 'execution_output', text: '2' } })),
      node('r', 'o', message('r', 'assistant', '', { content: { content_type: 'reasoning_recap', content: 'Thought for 2s' } })),
      node('a', 'r', message('a', 'assistant', 'It is 2.')),
    ]);
    const result = normalized(raw);
    expect(result.messages.map((m) => [m.role, m.content_type, m.text])).toEqual([
      ['user', 'text', 'compute'],
      ['assistant', 'thoughts', 'Plan\n\nuse python'],
      ['assistant', 'code', 'print(2)'],
      ['tool', 'execution_output', '2'],
      ['assistant', 'reasoning_recap', 'Thought for 2s'],
      ['assistant', 'text', 'It is 2.'],
    ]);
    expect(result.messages[3].author_name).toBe('python');
    expect(result.transcript).toContain('<details><summary>Tool call: python</summary>\n\n```python\nprint(2)\n```\n\n</details>');
    expect(result.transcript).toContain('**Tool (python):**\n\n<details><summary>Execution output</summary>\n\n2\n\n</details>');
    expect(result.transcript).toContain('<details><summary>Thoughts</summary>');
    expect(result.transcript).toContain('<details><summary>Reasoning</summary>');
    expect(result.raw_text).toContain('Tool (python): 2');
  });

  it('keeps an unknown content type with its text', () => {
    const raw = conversation([
      node('root', null),
      node('x', 'root', message('x', 'assistant', '', { content: { content_type: 'future_widget', body: { text: 'still here' } } })),
    ]);
    expect(normalized(raw).messages).toMatchObject([{ content_type: 'future_widget', text: 'still here' }]);
  });

  it('collects attachments and asset pointers; hides [""]-only messages', () => {
    const raw = conversation([
      node('root', null),
      node('empty', 'root', message('empty', 'assistant', [''])),
      node(
        'img',
        'empty',
        message('img', 'user', '', {
          content: {
            content_type: 'multimodal_text',
            parts: [{ content_type: 'image_asset_pointer', asset_pointer: 'file-service://file-XYZ' }, 'What is this?'],
          },
          metadata: { attachments: [{ id: 'file-XYZ', name: 'cat.png', mime_type: 'image/png', size: 1234, width: 9 }, 'junk'] },
        }),
      ),
    ]);
    const [only, ...rest] = normalized(raw).messages;
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      id: 'img',
      position: 0,
      text: '[image: file-XYZ]\n\nWhat is this?',
      asset_pointers: ['file-service://file-XYZ'],
      attachments: [{ id: 'file-XYZ', name: 'cat.png', mime_type: 'image/png', size: 1234 }],
    });
  });

  it('normalizes a 10,000-message chain', () => {
    const texts = Array.from({ length: 10_000 }, (_, i) => `message ${i}`);
    const result = normalized(conversation(chainNodes(texts), {}, false));
    expect(result.message_count).toBe(10_000);
    expect(result.messages[9_999].position).toBe(9_999);
  });
});
