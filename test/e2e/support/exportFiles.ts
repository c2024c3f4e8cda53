import { writeFile } from 'node:fs/promises';
import unzipper from 'unzipper';
import { buildTestZip } from '@threadline/testkit/testZip';

// Real exports are edited the way a later export differs from an earlier one: unzip, change the
// conversation JSON, zip again (yazl).

export interface ExportNode {
  id: string;
  message: { id: string; author: { role: string }; content: { content_type: string; parts?: unknown[] }; [key: string]: unknown } | null;
  parent: string | null;
  children: string[];
}

export interface ExportConversation {
  id: string;
  conversation_id?: string;
  title: string | null;
  update_time: number | null;
  current_node: string;
  mapping: Record<string, ExportNode>;
  [key: string]: unknown;
}

export interface ExportFiles {
  /** Every entry of the ZIP, in order. */
  entries: { name: string; content: Buffer }[];
}

export async function readExportZip(path: string): Promise<ExportFiles> {
  const directory = await unzipper.Open.file(path);
  const entries = [];
  for (const file of directory.files) if (file.type === 'File') entries.push({ name: file.path, content: await file.buffer() });
  return { entries };
}

export function conversationsOf(files: ExportFiles, name = 'conversations.json'): unknown[] {
  const entry = files.entries.find((e) => e.name === name);
  if (!entry) throw new Error(`no ${name} in the export`);
  return JSON.parse(entry.content.toString('utf8')) as unknown[];
}

export async function writeExportZip(path: string, files: ExportFiles, replaced: Record<string, unknown>): Promise<void> {
  const entries = files.entries.map((entry) =>
    entry.name in replaced ? { name: entry.name, content: JSON.stringify(replaced[entry.name]) } : entry,
  );
  await writeFile(path, await buildTestZip(entries));
}

/** current_node up to the root: the canonical thread's node ids, leaf first. */
export function threadPath(conversation: ExportConversation): string[] {
  const path: string[] = [];
  for (let id: string | null = conversation.current_node; id && conversation.mapping[id]; id = conversation.mapping[id].parent) path.push(id);
  return path;
}

/** A visible text message in the middle of the thread (not its leaf). */
export function middleVisibleNode(conversation: ExportConversation): ExportNode | null {
  const path = threadPath(conversation);
  const candidates = path.slice(1, -1).map((id) => conversation.mapping[id]).filter((node) => {
    const message = node.message;
    return message && (message.author.role === 'user' || message.author.role === 'assistant') && message.content.content_type === 'text'
      && !(message.metadata as { is_visually_hidden_from_conversation?: boolean } | undefined)?.is_visually_hidden_from_conversation
      && typeof message.content.parts?.[0] === 'string' && (message.content.parts[0] as string).length > 0;
  });
  return candidates[Math.floor(candidates.length / 2)] ?? null;
}

/** The user edited a message: a sibling branch with new text, and the thread now ends there. */
export function switchBranch(conversation: ExportConversation, node: ExportNode): void {
  const edited: ExportNode = {
    id: `${node.id}-edited`,
    message: { ...node.message!, id: `${node.id}-edited`, content: { content_type: 'text', parts: ['An edited question, on a new branch.'] } },
    parent: node.parent,
    children: [],
  };
  conversation.mapping[edited.id] = edited;
  conversation.mapping[node.parent!].children.push(edited.id);
  conversation.current_node = edited.id;
  touch(conversation);
}

/** A message deleted from the middle of the thread: its child hangs from its parent. */
export function deleteMessage(conversation: ExportConversation, node: ExportNode): void {
  const parent = conversation.mapping[node.parent!];
  parent.children = parent.children.flatMap((id) => (id === node.id ? node.children : [id]));
  for (const childId of node.children) conversation.mapping[childId].parent = parent.id;
  delete conversation.mapping[node.id];
  touch(conversation);
}

function touch(conversation: ExportConversation): void {
  conversation.update_time = (conversation.update_time ?? 1.7e9) + 86_400;
}
