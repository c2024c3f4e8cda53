// How an asset (image, audio, video) shows up in a message's text: a short placeholder that keeps
// the file id, so search finds it and a reader knows something was there.

/** `file-service://file-abc` → `file-abc`; `sediment://file_abc` → `file_abc`. */
export function assetFileId(pointer: string): string {
  const schemeEnd = pointer.indexOf('://');
  return schemeEnd === -1 ? pointer : pointer.slice(schemeEnd + 3);
}

function assetKind(contentType: unknown): string {
  const type = typeof contentType === 'string' ? contentType : '';
  if (type.includes('image')) return 'image';
  if (type.includes('audio')) return 'audio';
  if (type.includes('video')) return 'video';
  return 'file';
}

/** `[image: file-abc]`, `[audio: file_abc]`, `[video: …]`, `[file: …]` for an asset-pointer part. */
export function assetPlaceholder(contentType: unknown, pointer: string): string {
  return `[${assetKind(contentType)}: ${assetFileId(pointer)}]`;
}
