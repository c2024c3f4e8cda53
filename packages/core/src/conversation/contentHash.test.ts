import { describe, expect, it } from 'vitest';
import { messageHash } from './contentHash';
import type { NormalizedConversation } from './normalizedConversation';
import { normalizeConversation } from './normalizeConversation';
import { conversation, message, node } from './rawConversationBuilder.fixture';
import type { RawConversation } from './rawExport';

function normalized(raw: unknown): NormalizedConversation {
  const result = normalizeConversation(raw, 0);
  if (!result.ok) throw new Error(result.failure.reason);
  return result.conversation;
}

/** The same value with every object's keys in reverse order, as a different exporter might write it. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, child]) => [key, reverseKeys(child)]));
}

const base: RawConversation = conversation([
  node('root', null),
  node('u', 'root', message('u', 'user', 'Question', { create_time: 1_700_000_001 })),
  node(
    'a',
    'u',
    message('a', 'assistant', 'Answer', {
      create_time: 1_700_000_002,
      metadata: { model_slug: 'gpt-4o', attachments: [{ id: 'f', name: 'n', mime_type: 'text/plain', size: 1 }] },
    }),
  ),
]);

describe('contentHash', () => {
  it('does not depend on the key order of the raw input', () => {
    const reversed = reverseKeys(base) as RawConversation;
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(base)[0]);
    expect(normalized(reversed).content_hash).toBe(normalized(base).content_hash);
    expect(normalized(structuredClone(base)).content_hash).toBe(normalized(base).content_hash);
  });

  it('changes when a message is edited, or the title, or the archive flag', () => {
    const original = normalized(base).content_hash;
    const edited = structuredClone(base);
    edited.mapping!.a.message!.content!.parts = ['Answer, revised'];
    expect(normalized(edited).content_hash).not.toBe(original);
    expect(normalized({ ...base, title: 'Other' }).content_hash).not.toBe(original);
    expect(normalized({ ...base, is_archived: true }).content_hash).not.toBe(original);
  });

  it('ignores keys we do not store', () => {
    expect(normalized({ ...base, is_starred: true, safe_urls: ['x'] }).content_hash).toBe(normalized(base).content_hash);
  });
});

describe('messageHash', () => {
  it('is stable across key order and changes with any stored field', () => {
    const [, answer] = normalized(base).messages;
    const [, answerFromReversed] = normalized(reverseKeys(base)).messages;
    expect(messageHash(answer)).toMatch(/^[0-9a-f]{64}$/);
    expect(messageHash(answerFromReversed)).toBe(messageHash(answer));
    expect(messageHash({ ...answer, text: 'Answer!' })).not.toBe(messageHash(answer));
    expect(messageHash({ ...answer, position: 5 })).not.toBe(messageHash(answer));
    expect(messageHash({ ...answer, attachments: [] })).not.toBe(messageHash(answer));
  });
});
