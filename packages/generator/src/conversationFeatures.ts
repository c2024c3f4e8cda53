import type { SeededRandom } from './seededRandom';

/**
 * The export edge cases a synthetic conversation can carry. Conversation `i` always
 * carries CONVERSATION_FEATURES[i % length], so any export of at least
 * CONVERSATION_FEATURES.length (≤ 20) conversations covers every one of them;
 * the others are drawn at random with roughly real-world frequencies.
 */
export const CONVERSATION_FEATURES = [
  'editBranch', // a user message edited: abandoned sibling first, canonical child later
  'regeneration', // an assistant reply regenerated, sometimes interrupted
  'wideBranch', // many regenerations under one node (up to 20 children)
  'hiddenContext', // user_editable_context node hidden from the conversation
  'pythonTool', // assistant `code` → recipient python → tool `execution_output`
  'browsing', // browser tool: tether_browsing_display, tether_quote, citations
  'reasoning', // `thoughts` + `reasoning_recap` before the answer
  'image', // multimodal_text with image_asset_pointer + attachments
  'voice', // multimodal_text with audio_transcription + audio_asset_pointer
  'attachment', // metadata.attachments on a user text message
  'nullTimestamps', // some messages with null create_time
  'perMessageModel', // default_model_slug null, model_slug per message
  'archived', // is_archived true
  'untitled', // title null
  'long', // hundreds of turns
  'citations', // private-use citation markers and 【n†source】 in text
  'legacyRoot', // a uuid root (pre-2025) instead of client-created-root
] as const;

export type ConversationFeature = (typeof CONVERSATION_FEATURES)[number];

const RANDOM_FREQUENCY: Record<ConversationFeature, number> = {
  editBranch: 0.12,
  regeneration: 0.15,
  wideBranch: 0.01,
  hiddenContext: 0.3,
  pythonTool: 0.1,
  browsing: 0.1,
  reasoning: 0.15,
  image: 0.08,
  voice: 0.04,
  attachment: 0.1,
  nullTimestamps: 0.05,
  perMessageModel: 0.15,
  archived: 0.05,
  untitled: 0.04,
  long: 0.005,
  citations: 0.1,
  legacyRoot: 0.3,
};

export function guaranteedFeature(index: number): ConversationFeature {
  return CONVERSATION_FEATURES[index % CONVERSATION_FEATURES.length];
}

export function pickFeatures(rng: SeededRandom, index: number): Set<ConversationFeature> {
  const features = new Set<ConversationFeature>([guaranteedFeature(index)]);
  for (const feature of CONVERSATION_FEATURES) {
    if (rng.chance(RANDOM_FREQUENCY[feature])) features.add(feature);
  }
  return features;
}
