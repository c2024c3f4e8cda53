// A generated export plus one hand-made conversation carrying an HTML/script payload (and a few
// foldable message kinds), re-zipped: what the browser test uploads.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import unzipper from 'unzipper';
import yazl from 'yazl';
import { generateExport } from '@threadline/generator/generateExport';

export const injectionPayload = 'Look: <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1"> end.';
export const injectionTitle = 'Injection probe';

function node(id: string, parent: string | null, children: string[], message: Record<string, unknown> | null) {
  return { id, parent, children, message };
}

function message(id: string, role: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { id, author: { role, name: null, metadata: {} }, create_time: 1_735_000_000, update_time: null, content, status: 'finished_successfully', end_turn: true, weight: 1, metadata: {}, recipient: 'all', ...extra };
}

export function injectionConversation() {
  return {
    id: 'injection-probe-0001',
    conversation_id: 'injection-probe-0001',
    title: injectionTitle,
    create_time: 1_735_000_000,
    update_time: 1_735_000_100,
    current_node: 'm5',
    default_model_slug: 'gpt-4o',
    mapping: {
      root: node('root', null, ['m1'], null),
      m1: node('m1', 'root', ['m2'], message('m1', 'user', { content_type: 'text', parts: [injectionPayload] })),
      m2: node('m2', 'm1', ['m3'], message('m2', 'assistant', { content_type: 'thoughts', thoughts: [{ summary: 'Thinking', content: 'Consider the payload.' }] })),
      m3: node('m3', 'm2', ['m4'], message('m3', 'assistant', { content_type: 'code', language: 'python', text: 'print("<b>hi</b>")' }, { recipient: 'python' })),
      m4: node('m4', 'm3', ['m5'], message('m4', 'tool', { content_type: 'execution_output', text: '<b>hi</b>' }, { author: { role: 'tool', name: 'python', metadata: {} } })),
      m5: node('m5', 'm4', [], message('m5', 'assistant', { content_type: 'text', parts: ['**Rendered** safely: `<script>` stays text. [docs](https://example.com) [bad](javascript:alert(1))'] })),
    },
  };
}

/** Writes the export to `out` and returns how many conversations it holds. */
export async function writeInjectedExport(out: string, workDir: string, conversations: number): Promise<number> {
  const generated = `${workDir}/generated.zip`;
  await generateExport({ conversations, seed: 7, out: generated });
  const directory = await unzipper.Open.file(generated);
  const zip = new yazl.ZipFile();
  let total = 0;
  for (const file of directory.files) {
    if (file.type !== 'File') continue;
    let content = await file.buffer();
    if (file.path === 'conversations.json') {
      const list = JSON.parse(content.toString('utf8')) as unknown[];
      list.push(injectionConversation());
      total = list.length;
      content = Buffer.from(JSON.stringify(list));
    }
    zip.addBuffer(content, file.path);
  }
  const output = createWriteStream(out);
  zip.outputStream.pipe(output);
  zip.end();
  await once(output, 'close');
  return total;
}
