import { describe, expect, it } from 'vitest';
import { listJson, stringJson, vocabularyJson } from './fieldJson';

const samples = [
  '',
  'aaaabbbb-cccc-dddd-eeee-000000000001',
  '2024-05-01T12:30:00.000Z',
  'user',
  'gpt-4o',
  'say "hi"',
  'back\\slash',
  'line\nbreak\ttab\u0001',
  '\ud83d\ude00 emoji',
  'lone \ud800 surrogate',
  'ünïcödé',
  '</script>',
];

describe('fieldJson', () => {
  it('writes exactly what JSON.stringify writes', () => {
    for (const value of [...samples, null]) {
      expect(stringJson(value)).toBe(JSON.stringify(value));
      expect(vocabularyJson(value)).toBe(JSON.stringify(value));
      // A second call answers from the vocabulary.
      expect(vocabularyJson(value)).toBe(JSON.stringify(value));
    }
  });

  it('stays exact past the vocabulary limit', () => {
    for (let i = 0; i < 3000; i++) expect(vocabularyJson(`value "${i}"`)).toBe(JSON.stringify(`value "${i}"`));
  });

  it('writes arrays as JSON.stringify does', () => {
    expect(listJson([])).toBe('[]');
    expect(listJson(['a"b', 'c'])).toBe(JSON.stringify(['a"b', 'c']));
    expect(listJson([{ id: 'x', size: null }])).toBe(JSON.stringify([{ id: 'x', size: null }]));
  });
});
