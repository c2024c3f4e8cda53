// Conversation text is untrusted: Markdown is rendered with raw HTML DISABLED (a `<script>` or
// `<img onerror>` in a message is shown as text), links only to http(s) and mailto and opened
// with rel="noopener noreferrer", and images shown as links (no remote loads from content).

import MarkdownIt from 'markdown-it';

const allowedLink = /^(https?:|mailto:)/i;

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });

const anyScheme = /^[a-z][a-z0-9+.-]*:/i;

/**
 * http(s) and mailto, or no scheme at all (relative; linkify's `www.` links arrive so). Control
 * characters and spaces are removed first: browsers ignore them inside a scheme (`java\tscript:`).
 */
markdown.validateLink = (url: string) => {
  const compact = url.replace(/[\u0000-\u0020\u007f]/g, '');
  return allowedLink.test(compact) || !anyScheme.test(compact);
};

const defaultLinkOpen = markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('rel', 'noopener noreferrer nofollow');
  token.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

markdown.renderer.rules.image = (tokens, idx, options) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  const alt = markdown.utils.escapeHtml(String(token.content || 'image'));
  if (!allowedLink.test(src)) return `[${alt}]`;
  const href = markdown.utils.escapeHtml(src);
  void options;
  return `<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">[image: ${alt}]</a>`;
};

// A message's `# Heading` sits inside the page's own headings: shift levels down by two (h1 → h3).
markdown.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 2)}`;
  return self.renderToken(tokens, idx, options);
};
markdown.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 2)}`;
  return self.renderToken(tokens, idx, options);
};

/** Safe HTML for `element.innerHTML`. */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}
