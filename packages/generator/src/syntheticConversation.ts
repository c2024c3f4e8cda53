import { type ConversationFeature, pickFeatures } from './conversationFeatures';
import { ConversationTree } from './conversationTree';
import type { ExportConversation } from './exportShapes';
import { MessageFactory } from './messageFactory';
import { conversationTitle } from './sampleText';
import type { SeededRandom } from './seededRandom';
import { type TurnBranching, type TurnContext, type TurnKind, writeTurn } from './syntheticTurns';

export interface GenerateConversationOptions {
  /** Exactly these features (default: the index's guaranteed feature plus random ones). */
  features?: Iterable<ConversationFeature>;
  /** Earliest conversation start, epoch seconds (default 2023-01-01T00:00:00Z). */
  timeStart?: number;
  /** Conversations start uniformly within this window (default ~3 years). */
  timeSpanSeconds?: number;
}

export const DEFAULT_TIME_START = Date.UTC(2023, 0, 1) / 1000;
export const DEFAULT_TIME_SPAN_SECONDS = 3 * 365 * 86_400;

// Features that are a kind of turn rather than a property of the whole conversation.
const TURN_KIND_FEATURES = ['pythonTool', 'browsing', 'reasoning', 'image', 'voice', 'attachment'] as const satisfies readonly (TurnKind & ConversationFeature)[];

const CHAT_MODELS = ['gpt-4', 'gpt-4o', 'gpt-4o', 'gpt-4o-mini', 'gpt-4-1', 'gpt-5', 'text-davinci-002-render-sha'];
const REASONING_MODELS = ['o1', 'o3', 'o4-mini', 'gpt-5-thinking'];

function turnCount(rng: SeededRandom, long: boolean): number {
  if (long) return rng.int(120, 300);
  const roll = rng.next();
  if (roll < 0.4) return rng.int(1, 3);
  if (roll < 0.85) return rng.int(4, 12);
  return rng.int(13, 40);
}

/**
 * One ChatGPT-export conversation, built in memory from `rng`. Pure: the same
 * rng state, index and options give the same conversation.
 */
export function generateConversation(rng: SeededRandom, index: number, options: GenerateConversationOptions = {}): ExportConversation {
  const features: ReadonlySet<ConversationFeature> = options.features ? new Set(options.features) : pickFeatures(rng, index);
  const timeStart = options.timeStart ?? DEFAULT_TIME_START;
  const span = options.timeSpanSeconds ?? DEFAULT_TIME_SPAN_SECONDS;
  const createTime = Math.round((timeStart + rng.next() * span) * 1e6) / 1e6;
  const modelSlug = rng.pick(features.has('reasoning') ? REASONING_MODELS : CHAT_MODELS);
  const modelPerMessage = features.has('perMessageModel');
  const messages = new MessageFactory(rng, createTime, modelSlug, modelPerMessage, features.has('nullTimestamps') ? 0.3 : 0);

  const tree = new ConversationTree(features.has('legacyRoot') ? rng.uuid() : 'client-created-root');
  let cursor = tree.rootId;
  // The hidden system node that usually follows the root.
  if (!features.has('legacyRoot') || rng.chance(0.9)) {
    cursor = tree.add(cursor, messages.make('system', { content_type: 'text', parts: [''] }, { untimed: true, weight: 0, endTurn: true, metadata: { is_visually_hidden_from_conversation: true } }));
  }
  if (features.has('hiddenContext')) {
    cursor = tree.add(cursor, messages.make('user', {
      content_type: 'user_editable_context',
      user_profile: 'The user provided the following information about themselves: I am a software engineer in Zürich 🇨🇭.',
      user_instructions: 'The user provided the additional info about how they would like you to respond: "be concise", use Markdown.',
    }, { untimed: true, weight: 0, metadata: { is_visually_hidden_from_conversation: true, is_user_system_message: true } }));
  }

  const enabledKinds: TurnKind[] = TURN_KIND_FEATURES.filter((kind) => features.has(kind));
  const branchingFeatures = (['editBranch', 'regeneration', 'wideBranch'] as const).filter((f) => features.has(f));
  const turns = Math.max(turnCount(rng, features.has('long')), enabledKinds.length, branchingFeatures.length);

  // Each enabled feature lands on at least one turn; more turns use it at random.
  const kinds: TurnKind[] = [];
  for (let t = 0; t < turns; t++) kinds.push(enabledKinds.length > 0 && rng.chance(0.15) ? rng.pick(enabledKinds) : 'text');
  const kindTurns = rng.shuffle([...Array(turns).keys()]);
  enabledKinds.forEach((kind, i) => (kinds[kindTurns[i]] = kind));

  const branching: TurnBranching[] = Array.from({ length: turns }, () => ({ edits: 0, regenerations: 0 }));
  const branchTurns = rng.shuffle([...Array(turns).keys()]);
  branchingFeatures.forEach((feature, i) => {
    const turn = branching[branchTurns[i]];
    if (feature === 'editBranch') turn.edits = rng.chance(0.8) ? 1 : rng.int(2, 3);
    else if (feature === 'regeneration') turn.regenerations = rng.chance(0.8) ? 1 : 2;
    else turn.regenerations = rng.int(8, 19); // up to 20 children under one node
  });

  const ctx: TurnContext = { rng, tree, messages, features, maxAnswerBlocks: features.has('long') ? 2 : 6 };
  for (let t = 0; t < turns; t++) {
    if (t > 0) messages.pause(5, rng.chance(0.05) ? 86_400 : 600);
    cursor = writeTurn(ctx, cursor, kinds[t], branching[t]);
  }

  let updateTime: number | null = Math.round((messages.lastTime + rng.next() * 5) * 1e6) / 1e6;
  if (features.has('nullTimestamps') && rng.chance(0.3)) {
    // Seen in real data: update_time missing, or earlier than create_time.
    updateTime = rng.chance(0.5) ? null : createTime - rng.int(1, 100);
  }
  const title = features.has('untitled') ? null : conversationTitle(rng);
  const id = rng.uuid();
  return {
    title,
    create_time: createTime,
    update_time: updateTime,
    mapping: tree.shuffledMapping(rng),
    moderation_results: [],
    current_node: cursor,
    plugin_ids: null,
    conversation_id: id,
    conversation_template_id: null,
    gizmo_id: rng.chance(0.05) ? `g-${rng.hex(9)}` : null,
    gizmo_type: null,
    is_archived: features.has('archived'),
    is_starred: rng.chance(0.5) ? null : rng.chance(0.1),
    safe_urls: [],
    blocked_urls: [],
    default_model_slug: modelPerMessage ? null : modelSlug,
    conversation_origin: null,
    voice: features.has('voice') ? 'juniper' : null,
    async_status: null,
    disabled_tool_ids: [],
    is_do_not_remember: false,
    memory_scope: 'global_enabled',
    sugar_item_id: null,
    id,
  };
}
