import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './renderMarkdown';

describe('renderMarkdown', () => {
  it('shows raw HTML as text: no script, no element with an event handler', () => {
    const html = renderMarkdown('Hi <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1">');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
  });

  it('keeps only http(s) and mailto links, opened without an opener', () => {
    const html = renderMarkdown('[a](https://example.com) [b](javascript:alert(1)) [c](data:text/html,x) [d](mailto:a@b.c) see https://example.org/x');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">a</a>');
    expect(html).toContain('href="mailto:a@b.c"');
    expect(html).not.toMatch(/href="(javascript|data):/);
    expect(html).toContain('href="https://example.org/x"');
  });

  it('turns images into links instead of loading them', () => {
    const html = renderMarkdown('![chart](https://tracker.example/x.png) ![x](javascript:alert(1))');
    expect(html).not.toContain('<img');
    expect(html).toContain('[image: chart]');
  });

  it('nests message headings under the page\'s own', () => {
    expect(renderMarkdown('# Title\n\n#### Deep')).toBe('<h3>Title</h3>\n<h6>Deep</h6>\n');
  });

  it('renders ordinary Markdown', () => {
    expect(renderMarkdown('**bold**\n\n```js\nconst a = 1 < 2;\n```')).toContain('<strong>bold</strong>');
    expect(renderMarkdown('```\n<b>x</b>\n```')).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
