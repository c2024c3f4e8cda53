import type { ConversationFeature } from './conversationFeatures';
import type { ConversationTree } from './conversationTree';
import type { ExportContent, ExportMessage } from './exportShapes';
import type { MessageFactory } from './messageFactory';
import type { SeededRandom } from './seededRandom';
import {
  assistantAnswer,
  executionOutput,
  paragraph,
  pythonCode,
  searchQuery,
  shortSentence,
  userPrompt,
  webDomain,
} from './sampleText';

/** What one user turn looks like; each kind maps to an export feature. */
export type TurnKind = 'text' | 'pythonTool' | 'browsing' | 'reasoning' | 'image' | 'voice' | 'attachment';

export interface TurnContext {
  rng: SeededRandom;
  tree: ConversationTree;
  messages: MessageFactory;
  features: ReadonlySet<ConversationFeature>;
  /** Upper bound of Markdown blocks per answer; long conversations use short answers. */
  maxAnswerBlocks: number;
}

export interface TurnBranching {
  /** Abandoned versions of the user message (edits), written before the canonical one. */
  edits: number;
  /** Abandoned assistant replies (regenerations), written before the canonical one. */
  regenerations: number;
}

const text = (value: string): ExportContent => ({ content_type: 'text', parts: [value] });

function add(ctx: TurnContext, parentId: string, message: ExportMessage): string {
  return ctx.tree.add(parentId, message);
}

function answerText(ctx: TurnContext): string {
  const { rng } = ctx;
  let answer = assistantAnswer(rng, rng.int(1, ctx.maxAnswerBlocks));
  if (ctx.features.has('citations') && rng.chance(0.6)) {
    // Newer exports mark citations with private-use characters, older ones with 【n†source】.
    answer += rng.chance(0.5)
      ? ` \ue200cite\ue202turn0search${rng.int(0, 9)}\ue201`
      : ` 【${rng.int(0, 12)}†source】`;
  }
  return answer;
}

function writeAnswer(ctx: TurnContext, parentId: string, channel: string | null = null): string {
  return add(ctx, parentId, ctx.messages.make('assistant', text(answerText(ctx)), { channel }));
}

function fileId(rng: SeededRandom, style: 'sediment' | 'service'): string {
  return style === 'sediment' ? `file_${rng.hex(32)}` : `file-${rng.hex(24).toUpperCase()}`;
}

function userMessage(ctx: TurnContext, kind: TurnKind): ExportMessage {
  const { rng, messages } = ctx;
  if (kind === 'image') {
    const id = fileId(rng, 'sediment');
    const width = rng.pick([512, 768, 1024, 1536]);
    const height = rng.pick([512, 768, 1024]);
    const sizeBytes = rng.int(40_000, 2_000_000);
    return messages.make(
      'user',
      {
        content_type: 'multimodal_text',
        parts: [
          {
            content_type: 'image_asset_pointer',
            asset_pointer: `sediment://${id}`,
            size_bytes: sizeBytes,
            width,
            height,
            fovea: null,
            metadata: { dalle: null, gizmo: null, generation: null, container_pixel_height: null, container_pixel_width: null, emu_omit_glimpse_image: null, emu_patches_override: null, sanitized: true, asset_pointer_link: null, watermarked_asset_pointer: null },
          },
          userPrompt(rng),
        ],
      },
      { metadata: { attachments: [{ id, size: sizeBytes, name: `IMG_${rng.int(1000, 9999)}.png`, mime_type: 'image/png', width, height }] } },
    );
  }
  if (kind === 'voice') {
    return messages.make(
      'user',
      {
        content_type: 'multimodal_text',
        parts: [
          { content_type: 'audio_transcription', text: shortSentence(rng), direction: 'in', decoding_id: null },
          audioPointer(rng),
        ],
      },
      { metadata: { voice_mode_message: true } },
    );
  }
  if (kind === 'attachment') {
    const [name, mimeType] = rng.pick([
      ['quarterly-report.pdf', 'application/pdf'],
      ['sales_2024.csv', 'text/csv'],
      ['notes — draft.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['スクリーンショット.png', 'image/png'],
    ] as const);
    return messages.make('user', text(userPrompt(rng)), {
      metadata: {
        attachments: [{ id: fileId(rng, 'service'), size: rng.int(2_000, 5_000_000), name, mime_type: mimeType, file_token_size: rng.int(100, 40_000) }],
      },
    });
  }
  return messages.make('user', text(userPrompt(rng)));
}

function audioPointer(rng: SeededRandom): Record<string, unknown> {
  const seconds = Math.round(rng.next() * 30_000) / 1000;
  return {
    content_type: 'audio_asset_pointer',
    asset_pointer: `sediment://${fileId(rng, 'sediment')}`,
    size_bytes: rng.int(20_000, 900_000),
    format: 'wav',
    metadata: { start_timestamp: null, end_timestamp: null, pretokenized_vq: null, interruptions: null, original_audio_source: null, transcription: null, word_transcription: null, start: 0, end: seconds },
  };
}

function writePythonTool(ctx: TurnContext, parentId: string): string {
  const { rng, messages } = ctx;
  const code = pythonCode(rng);
  const call = add(ctx, parentId, messages.make('assistant', { content_type: 'code', language: 'python', response_format_name: null, text: code }, { recipient: 'python', endTurn: false }));
  const output = executionOutput(rng);
  const result = add(
    ctx,
    call,
    messages.make('tool', { content_type: 'execution_output', text: output }, {
      name: 'python',
      metadata: {
        is_complete: true,
        aggregate_result: { status: 'success', run_id: rng.uuid(), code, final_expression_output: output, in_kernel_exception: null, system_exception: null, messages: [], jupyter_messages: [], timeout_triggered: null },
      },
    }),
  );
  return writeAnswer(ctx, result);
}

function writeBrowsing(ctx: TurnContext, parentId: string): string {
  const { rng, messages } = ctx;
  const search = add(ctx, parentId, messages.make('assistant', { content_type: 'code', language: 'unknown', response_format_name: null, text: `search("${searchQuery(rng)}")` }, { recipient: 'browser', endTurn: false }));
  const results: string[] = [];
  const resultCount = rng.int(2, 5);
  for (let i = 0; i < resultCount; i++) results.push(`# 【${i}†${shortSentence(rng)}†${webDomain(rng)}】\n${paragraph(rng)}`);
  const display = add(ctx, search, messages.make('tool', { content_type: 'tether_browsing_display', result: results.join('\n'), summary: null, assets: [], tether_id: null }, { name: 'browser', metadata: { _cite_metadata: { citation_format: { name: 'tether_og' }, metadata_list: [] } } }));
  const click = add(ctx, display, messages.make('assistant', { content_type: 'code', language: 'unknown', response_format_name: null, text: `mclick([${rng.int(0, resultCount - 1)}])` }, { recipient: 'browser', endTurn: false }));
  const domain = webDomain(rng);
  const url = `https://${domain}/${rng.hex(8)}/${searchQuery(rng).replace(/ /g, '-')}`;
  const title = shortSentence(rng);
  const quote = add(ctx, click, messages.make('tool', { content_type: 'tether_quote', url, domain, text: `\nURL: ${url}\n\n${paragraph(rng)}\n${paragraph(rng)}`, title, tether_id: null }, { name: 'browser' }));
  const answer = `${answerText(ctx)} 【${rng.int(0, 9)}†source】`;
  return add(ctx, quote, messages.make('assistant', text(answer), {
    metadata: { citations: [{ start_ix: answer.length - 10, end_ix: answer.length, citation_format_type: 'tether_og', metadata: { type: 'webpage', title, url, text: '', pub_date: null, extra: null } }] },
  }));
}

function writeReasoning(ctx: TurnContext, parentId: string): string {
  const { rng, messages } = ctx;
  const thoughts: Array<Record<string, unknown>> = [];
  const count = rng.int(1, 4);
  for (let i = 0; i < count; i++) thoughts.push({ summary: shortSentence(rng), content: paragraph(rng), chunks: [], finished: true });
  const thinking = add(ctx, parentId, messages.make('assistant', { content_type: 'thoughts', thoughts, source_analysis_msg_id: rng.uuid() }, { endTurn: false, channel: 'analysis' }));
  const recap = add(ctx, thinking, messages.make('assistant', { content_type: 'reasoning_recap', content: `Thought for ${rng.int(2, 90)}s` }, { endTurn: false, channel: 'analysis' }));
  return writeAnswer(ctx, recap, 'final');
}

function writeVoiceReply(ctx: TurnContext, parentId: string): string {
  const { rng, messages } = ctx;
  return add(ctx, parentId, messages.make('assistant', {
    content_type: 'multimodal_text',
    parts: [{ content_type: 'audio_transcription', text: paragraph(rng), direction: 'out', decoding_id: null }, audioPointer(rng)],
  }, { metadata: { voice_mode_message: true } }));
}

/** Abandoned reply: a plain answer, sometimes cut off mid-generation. */
function writeAbandonedReply(ctx: TurnContext, parentId: string): string {
  const { rng, messages } = ctx;
  const interrupted = rng.chance(0.2);
  return add(ctx, parentId, messages.make('assistant', text(answerText(ctx)), interrupted
    ? { status: 'in_progress', endTurn: null, metadata: { finish_details: { type: 'interrupted' } } }
    : {}));
}

/**
 * Writes one user turn under `parentId` — abandoned edits and regenerations first,
 * so the canonical child is never children[0] — and returns the id of its last
 * canonical node.
 */
export function writeTurn(ctx: TurnContext, parentId: string, kind: TurnKind, branching: TurnBranching): string {
  const { rng, messages } = ctx;
  for (let i = 0; i < branching.edits; i++) {
    // An edited prompt leaves the old version and its own continuation behind.
    let cursor = add(ctx, parentId, messages.make('user', text(userPrompt(rng))));
    cursor = writeAbandonedReply(ctx, cursor);
    if (rng.chance(0.3)) writeAbandonedReply(ctx, add(ctx, cursor, messages.make('user', text(userPrompt(rng)))));
  }
  const user = add(ctx, parentId, userMessage(ctx, kind));
  for (let i = 0; i < branching.regenerations; i++) writeAbandonedReply(ctx, user);
  switch (kind) {
    case 'pythonTool':
      return writePythonTool(ctx, user);
    case 'browsing':
      return writeBrowsing(ctx, user);
    case 'reasoning':
      return writeReasoning(ctx, user);
    case 'voice':
      return writeVoiceReply(ctx, user);
    default:
      return writeAnswer(ctx, user);
  }
}
