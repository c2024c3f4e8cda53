import type { RawConversation } from './rawExport';

/** What decides between two copies of one conversation id: the newer update_time, then the larger mapping. */
export function duplicateCandidate(raw: unknown): { updateTime: number | null; mappingSize: number } {
  const conversation = (raw ?? {}) as RawConversation;
  const updateTime = typeof conversation.update_time === 'number' ? conversation.update_time : null;
  const mapping = conversation.mapping;
  const mappingSize = mapping && typeof mapping === 'object' ? Object.keys(mapping).length : 0;
  return { updateTime, mappingSize };
}
