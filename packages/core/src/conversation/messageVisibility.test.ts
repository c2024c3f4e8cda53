import { describe, expect, it } from 'vitest';
import { hiddenReason } from './messageVisibility';
import { normalizeMessage } from './normalizeMessage';
import type { RawMessage } from './rawExport';
import { message } from './rawConversationBuilder.fixture';

const reason = (raw: RawMessage) => hiddenReason(raw, normalizeMessage(raw, 'node', 0));

describe('message visibility', () => {
  it('hides visually hidden messages', () => {
    expect(reason(message('m', 'user', 'x', { metadata: { is_visually_hidden_from_conversation: true } }))).toBe('visually hidden');
  });

  it('hides system messages unless the user wrote them', () => {
    expect(reason(message('m', 'system', 'You are ChatGPT'))).toBe('system message');
    expect(reason(message('m', 'system', 'Always answer in French', { metadata: { is_user_system_message: true } }))).toBeNull();
  });

  it('hides editable context', () => {
    const userContext = message('m', 'user', '', {
      content: { content_type: 'user_editable_context', user_profile: 'SRE', user_instructions: 'Be brief' },
    });
    const modelContext = message('m', 'assistant', '', {
      content: { content_type: 'model_editable_context', model_set_context: 'memory' },
    });
    expect(reason(userContext)).toBe('editable context');
    expect(reason(modelContext)).toBe('editable context');
  });

  it('hides messages with no text, attachment or asset', () => {
    expect(reason(message('m', 'assistant', ['']))).toBe('empty');
    expect(reason(message('m', 'assistant', [], { content: null }))).toBe('empty');
  });

  it('keeps an asset-only or attachment-only message', () => {
    const image = message('m', 'user', [{ content_type: 'image_asset_pointer', asset_pointer: 'file-service://file-1' }], {
      content: { content_type: 'multimodal_text', parts: [{ content_type: 'image_asset_pointer', asset_pointer: 'file-service://file-1' }] },
    });
    expect(reason(image)).toBeNull();
    const attachment = message('m', 'user', [''], {
      metadata: { attachments: [{ id: 'file-2', name: 'a.pdf', mime_type: 'application/pdf', size: 10 }] },
    });
    expect(reason(attachment)).toBeNull();
  });

  it('keeps tool traffic, code, thoughts and reasoning recaps', () => {
    const visible = [
      message('m', 'assistant', '', { content: { content_type: 'code', language: 'python', text: '1+1' }, recipient: 'python' }),
      message('m', 'tool', '', { content: { content_type: 'execution_output', text: '2' } }),
      message('m', 'tool', '', { content: { content_type: 'tether_browsing_display', result: 'hits' } }),
      message('m', 'assistant', '', { content: { content_type: 'thoughts', thoughts: [{ summary: 's', content: 'c' }] } }),
      message('m', 'assistant', '', { content: { content_type: 'reasoning_recap', content: 'Thought for 3s' } }),
    ];
    for (const raw of visible) expect(reason(raw)).toBeNull();
  });
});
