import { describe, expect, it } from 'vitest';
import { assetPointers } from './assetPointers';
import { messageText } from './messageText';

describe('messageText', () => {
  it('joins string parts with a blank line and skips empty ones', () => {
    expect(messageText({ content_type: 'text', parts: ['one', '', 'two'] })).toBe('one\n\ntwo');
    expect(messageText({ content_type: 'text', parts: [''] })).toBe('');
  });

  it('reads object parts: audio transcriptions and asset placeholders', () => {
    const content = {
      content_type: 'multimodal_text',
      parts: [
        { content_type: 'image_asset_pointer', asset_pointer: 'file-service://file-abc', width: 10 },
        { content_type: 'audio_transcription', text: 'spoken words', direction: 'in' },
        { content_type: 'audio_asset_pointer', asset_pointer: 'sediment://file_123', format: 'wav' },
        'typed text',
      ],
    };
    expect(messageText(content)).toBe('[image: file-abc]\n\nspoken words\n\n[audio: file_123]\n\ntyped text');
    expect(assetPointers(content)).toEqual(['file-service://file-abc', 'sediment://file_123']);
  });

  it('finds pointers nested in real-time audio/video parts', () => {
    const content = {
      content_type: 'multimodal_text',
      parts: [
        {
          content_type: 'real_time_user_audio_video_asset_pointer',
          audio_asset_pointer: { content_type: 'audio_asset_pointer', asset_pointer: 'sediment://file_a' },
          video_container_asset_pointer: { content_type: 'video_container_asset_pointer', asset_pointer: 'sediment://file_v' },
          frames_asset_pointers: [],
        },
      ],
    };
    expect(messageText(content)).toBe('[audio: file_a]\n\n[video: file_v]');
    expect(assetPointers(content)).toEqual(['sediment://file_a', 'sediment://file_v']);
  });

  it('reads each known content type', () => {
    expect(messageText({ content_type: 'code', language: 'python', text: 'print(1)' })).toBe('print(1)');
    expect(messageText({ content_type: 'execution_output', text: '1' })).toBe('1');
    expect(messageText({ content_type: 'tether_quote', url: 'https://x.test', title: 'X', text: 'quoted', domain: 'x.test' })).toBe(
      'X\n\nhttps://x.test\n\nquoted',
    );
    expect(messageText({ content_type: 'tether_browsing_display', result: 'results', summary: null, assets: [] })).toBe('results');
    expect(
      messageText({
        content_type: 'thoughts',
        thoughts: [
          { summary: 'Planning', content: 'First I will…' },
          { summary: 'Checking', content: 'Then…' },
        ],
        source_analysis_msg_id: 'x',
      }),
    ).toBe('Planning\n\nFirst I will…\n\nChecking\n\nThen…');
    expect(messageText({ content_type: 'reasoning_recap', content: 'Thought for 12 seconds' })).toBe('Thought for 12 seconds');
    expect(messageText({ content_type: 'system_error', name: 'GetDownloadLinkError', text: 'Expired' })).toBe(
      'GetDownloadLinkError\n\nExpired',
    );
  });

  it('keeps the text of an unknown content type, wherever it sits', () => {
    const content = {
      content_type: 'holographic_output_v9',
      language: 'not text',
      payload: { blocks: [{ text: 'first' }, { content: 'second', id: 'ignored' }] },
      result: 'third',
    };
    expect(messageText(content)).toBe('first\n\nsecond\n\nthird');
  });

  it('never crashes on odd input and stays bounded on deep nesting', () => {
    expect(messageText(null)).toBe('');
    expect(messageText(42)).toBe('');
    expect(messageText({ content_type: 'text', parts: null })).toBe('');
    expect(messageText({ content_type: 'text', parts: [null, 3, true, ['nested']] })).toBe('nested');
    let deep: Record<string, unknown> = { text: 'bottom' };
    for (let i = 0; i < 100_000; i++) deep = { content: deep };
    expect(() => messageText({ content_type: 'mystery', content: deep })).not.toThrow();
    const cyclic: Record<string, unknown> = { text: 'loop' };
    cyclic.self = cyclic;
    expect(messageText({ content_type: 'mystery', value: cyclic })).toContain('loop');
    expect(() => assetPointers(cyclic)).not.toThrow();
  });

  it('strips citation markup from text', () => {
    expect(messageText({ content_type: 'text', parts: ['Founded in 2014【3:0†source】.'] })).toBe('Founded in 2014.');
  });
});
