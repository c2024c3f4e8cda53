// ChatGPT embeds citation markup in message text. Without the citation list (metadata.citations,
// content_references) that markup is noise in a transcript and in search, so we strip it:
//
// - Private-use spans `\ue200cite\ue202turn0search3\ue201` (2025+ exports). An `entity` span
//   (`\ue200entity\ue202["city","Paris",…]\ue201`) is rendered by ChatGPT as its display name, so
//   it becomes that name instead of disappearing (deleting it would drop words from a sentence).
// - Any stray private-use character left over (U+E000–U+F8FF), e.g. from an unclosed span.
// - Reference markers with a single label: `【3:0†source】`, `【11†(Fuelly)】`. They point into the
//   citation list and carry nothing on their own.
//
// Kept on purpose: browsing-result headers with a title and a domain, `【0†Signal Sciences†www.crunchbase.com】`:
// they are the only place the result's title and site appear.

const PRIVATE_USE_SPAN = /[ \t]*\ue200([^\ue200\ue201]*)\ue201/g;
const STRAY_PRIVATE_USE = /[\ue000-\uf8ff]/g;
const SINGLE_LABEL_REFERENCE = /[ \t]*【\d+(?::\d+)?†[^†【】]*】/g;

function entityDisplayName(spanBody: string): string {
  const [kind, payload] = spanBody.split('\ue202', 2);
  if (kind !== 'entity' || payload === undefined) return '';
  try {
    const parsed: unknown = JSON.parse(payload);
    if (Array.isArray(parsed) && typeof parsed[1] === 'string') return ` ${parsed[1]}`;
  } catch {
    // Not JSON: treat like any other span.
  }
  return '';
}

/** Text with citation markup removed (see the rules above). */
export function stripCitationMarkers(text: string): string {
  // Fast path: most text has none of these characters.
  if (!/[\ue000-\uf8ff【]/.test(text)) return text;
  return text
    .replace(PRIVATE_USE_SPAN, (span, body: string) => {
      const name = entityDisplayName(body);
      // Keep the whitespace that preceded an entity so words do not run together.
      return name === '' ? '' : (/^[ \t]/.test(span) ? name : name.trimStart());
    })
    .replace(STRAY_PRIVATE_USE, '')
    .replace(SINGLE_LABEL_REFERENCE, '');
}
