import { describe, expect, it } from 'vitest';
import { foldLabelOf, isVerbatim } from './messageFolding';

const message = (fields: Partial<Parameters<typeof foldLabelOf>[0]>) => ({ role: 'assistant', content_type: 'text', recipient: 'all', author_name: null, ...fields });

describe('foldLabelOf', () => {
  it('leaves plain turns open', () => {
    expect(foldLabelOf(message({ role: 'user' }))).toBeNull();
    expect(foldLabelOf(message({ content_type: 'multimodal_text', recipient: null }))).toBeNull();
  });

  it.each([
    [{ content_type: 'thoughts' }, 'Thoughts'],
    [{ content_type: 'reasoning_recap' }, 'Reasoning summary'],
    [{ content_type: 'code', recipient: 'python' }, 'Code for python'],
    [{ role: 'tool', content_type: 'execution_output', author_name: 'python' }, 'Execution output'],
    [{ role: 'tool', content_type: 'tether_browsing_display' }, 'Browsing result'],
    [{ role: 'tool', content_type: 'tether_quote' }, 'Quoted web page'],
    [{ role: 'tool', content_type: 'text', author_name: 'browser' }, 'Tool output · browser'],
    [{ content_type: 'text', recipient: 'dalle.text2im' }, 'Call to dalle.text2im'],
  ])('folds %j as %s', (fields, label) => {
    expect(foldLabelOf(message(fields))).toBe(label);
  });

  it('shows code and execution output verbatim', () => {
    expect(isVerbatim(message({ content_type: 'code' }))).toBe(true);
    expect(isVerbatim(message({ content_type: 'text' }))).toBe(false);
  });
});
