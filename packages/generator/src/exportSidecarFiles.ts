import type { SeededRandom } from './seededRandom';

/**
 * The small non-conversation files a real export carries next to the
 * conversations. Importers must ignore them, so they only need to be plausible.
 */
export interface SidecarFile {
  path: string;
  content: Buffer;
}

// A valid 1×1 PNG: the asset only has to be a real file with a real name pattern.
const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const CHAT_HTML = `<!DOCTYPE html>
<html>
<head><meta charset="UTF-8"><title>ChatGPT Data Export</title></head>
<body>
<div id="root"></div>
<script>
// Synthetic export: the real page embeds every conversation here (it can exceed 100 MB).
var jsonData = [];
</script>
</body>
</html>
`;

export function sidecarFiles(rng: SeededRandom): SidecarFile[] {
  const user = {
    id: `user-${rng.hex(24)}`,
    email: 'synthetic.user@example.com',
    chatgpt_plus_user: true,
    birth_year: null,
    phone_number: null,
  };
  return [
    { path: 'user.json', content: Buffer.from(JSON.stringify(user)) },
    { path: 'message_feedback.json', content: Buffer.from('[]') },
    { path: `file_${rng.hex(32)}-sample.png`, content: ONE_PIXEL_PNG },
    { path: 'chat.html', content: Buffer.from(CHAT_HTML) },
  ];
}
