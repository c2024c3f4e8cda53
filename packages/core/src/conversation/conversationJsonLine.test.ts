import { describe, expect, it } from 'vitest';
import { contentHash, contentHashOfSerialized } from './contentHash';
import { LineBuffer, appendConversationJsonLine } from './conversationJsonLine';
import { normalizeConversation, normalizeConversationAs } from './normalizeConversation';
import { conversation, message, node } from './rawConversationBuilder.fixture';

const raw = conversation([
  node('root', null),
  node('u', 'root', message('u', 'user', 'Zeichen: ünï ✓ 😀, a lone surrogate \ud800 and "quotes"\n')),
  node('a', 'u', message('a', 'assistant', 'Answer', { metadata: { model_slug: 'gpt-4o', attachments: [{ id: 'f', name: 'n', mime_type: 'text/plain', size: 1 }] } })),
]);

describe('conversationJsonLine', () => {
  it('is one JSON line equal to the normalized conversation, content hash included', () => {
    const normalized = normalizeConversation(raw, 0);
    // A tiny buffer, so appending must grow it (twice: after a line already in it).
    const out = new LineBuffer(16);
    const first = normalizeConversationAs(raw, 0, (unhashed) => appendConversationJsonLine(unhashed, out));
    const second = normalizeConversationAs(raw, 0, (unhashed) => appendConversationJsonLine(unhashed, out));
    if (!normalized.ok || !first.ok || !second.ok) throw new Error('fixture does not normalize');
    expect(first.conversation + second.conversation).toBe(out.length);
    const text = out.bytes.subarray(0, first.conversation).toString('utf8');
    expect(out.bytes.subarray(first.conversation, out.length).toString('utf8')).toBe(text);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(text)).toEqual(normalized.conversation);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'conversation_id', 'title', 'create_time', 'update_time', 'model', 'is_archived', 'messages',
      'date', 'time', 'message_count', 'transcript', 'raw_text', 'content_hash', 'warnings',
    ]);
  });
});

describe('conversationJsonLine, byte for byte', () => {
  it('is JSON.stringify of the normalized conversation (content_hash before warnings), long texts included', () => {
    // Long enough that the transcript and raw text are escaped in slices; emoji pairs cross the slice edges.
    const long = `${'x😀'.repeat(12_000)} \ud800 "quoted" \u2028 \u0007 tab\t ${'ß'.repeat(20_000)}`;
    const rawLong = conversation([
      node('root', null),
      node('u', 'root', message('u', 'user', long)),
      node('a', 'u', message('a', 'assistant', `y${long}`, { metadata: { model_slug: 'gpt-4o' } })),
      // Pieces the transcript rewrites: a fenced code block, a fold whose text would close it early.
      node('c', 'a', message('c', 'assistant', [], { content: { content_type: 'code', language: 'python', text: 'print("```") # ✓' } })),
      node('t', 'c', message('t', 'tool', 'result </DETAILS> 😀', { author: { role: 'tool', name: 'browser', metadata: {} } })),
      node('e', 't', message('e', 'user', '')),
    ]);
    const normalized = normalizeConversation(rawLong, 0);
    const out = new LineBuffer(16);
    const appended = normalizeConversationAs(rawLong, 0, (unhashed) => appendConversationJsonLine(unhashed, out));
    if (!normalized.ok || !appended.ok) throw new Error('fixture does not normalize');
    const { content_hash, warnings, ...rest } = normalized.conversation;
    expect(normalized.conversation.transcript.length).toBeGreaterThan(100_000);
    expect(normalized.conversation.transcript).toContain('```python');
    expect(normalized.conversation.transcript).toContain('&lt;/details&gt;');
    expect(out.bytes.subarray(0, out.length).equals(Buffer.from(JSON.stringify({ ...rest, content_hash, warnings }) + '\n'))).toBe(true);
  });

  it('escapes a long string in slices exactly as JSON.stringify does, wherever its surrogate pairs fall', () => {
    for (let shift = 0; shift < 4; shift++) {
      const text = `${'a'.repeat(shift)}${'😀'.repeat(20_000)}\udbff${'"\n\\'.repeat(9_000)}\udc00end`;
      const out = new LineBuffer(16);
      out.appendEscaped(text);
      expect(out.bytes.subarray(0, out.length).equals(Buffer.from(JSON.stringify(text).slice(1, -1)))).toBe(true);
    }
  });
});

describe('contentHashOfSerialized', () => {
  it('hashes the messages JSON the same as a string or as its UTF-8 bytes, and as contentHash does', () => {
    const normalized = normalizeConversation(raw, 0);
    if (!normalized.ok) throw new Error('fixture does not normalize');
    const json = JSON.stringify(normalized.conversation.messages);
    expect(contentHashOfSerialized(normalized.conversation, json)).toBe(contentHash(normalized.conversation));
    expect(contentHashOfSerialized(normalized.conversation, Buffer.from(json))).toBe(contentHash(normalized.conversation));
    expect(contentHash(normalized.conversation)).toMatch(/^[0-9a-f]{64}$/);
  });
});
