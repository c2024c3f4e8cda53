import { describe, expect, it } from 'vitest';
import { describeReadProblems } from './exportReadProblems';

describe('describeReadProblems', () => {
  it('names the uploaded ZIP, the file inside it, the byte, the count imported and what was not read', () => {
    const problems = describeReadProblems(
      { name: 'chatgpt-2026.zip', kind: 'zip' },
      [{ name: 'conversations-001.json', bytes: 400, listedBytes: 900 }],
      {
        message: 'conversations-001.json: ended at byte 400 inside the conversation starting at byte 310 (the file is truncated)',
        file: 'conversations-001.json',
        conversationsBefore: 102,
        filesAfter: ['conversations-002.json'],
      },
    );
    expect(problems).toEqual([
      "chatgpt-2026.zip: conversations-001.json is truncated: it has 400 of the 900 bytes the export's manifest lists",
      'chatgpt-2026.zip: conversations-001.json: ended at byte 400 inside the conversation starting at byte 310 (the file is truncated); ' +
        'the 102 conversation(s) before it were imported; not read: the rest of conversations-001.json, conversations-002.json',
    ]);
  });

  it('does not repeat the name of a bare JSON upload, which the reader already starts with', () => {
    const problems = describeReadProblems({ name: 'my chats.json', kind: 'json' }, [], {
      message: 'my chats.json: ended at byte 5200 inside the conversations array (the file is truncated)',
      file: 'my chats.json',
      conversationsBefore: 3,
      filesAfter: [],
    });
    expect(problems).toEqual(['my chats.json: ended at byte 5200 inside the conversations array (the file is truncated); the 3 conversation(s) before it were imported']);
  });

  it('is empty when everything was read', () => {
    expect(describeReadProblems({ name: 'x.zip', kind: 'zip' }, [], null)).toEqual([]);
  });
});
