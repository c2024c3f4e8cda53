import { domainError } from '../errors/domainError';

/** What went wrong, for code that reacts to a failure (the message is for people). */
export type ExportReadErrorCode =
  | 'not-a-zip' // named .zip but the bytes are not a ZIP
  | 'unknown-format' // neither a ZIP nor JSON
  | 'corrupt-zip' // truncated archive, bad central directory, bad entry data or CRC
  | 'unsupported-zip' // encrypted entries, compression methods other than stored/deflate
  | 'unsafe-entry-name' // `..` or absolute entry names
  | 'zip-bomb' // declared or actual sizes over the configured limits
  | 'ambiguous-export' // conversation files in several top-level folders
  | 'no-conversations' // no conversations.json / conversations-NNN.json
  | 'malformed-json' // a conversation file is not valid JSON
  | 'truncated-json' // a conversation file ends mid-value
  | 'element-too-large'; // one conversation over the per-element limit

/**
 * A one-line, human-readable reason an export cannot be read. Thrown for everything the
 * uploader can fix (a wrong or broken file); I/O errors of the byte source pass through as is.
 */
export class ExportReadError extends domainError('ExportReadError', 'input') {
  constructor(
    readonly code: ExportReadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Faults of the JSON itself: what precedes them was read intact, so an import or a convert keeps
 * it. A damaged archive is not one: a stored entry's CRC fails only at its end, after its
 * conversations were read from the bad bytes.
 */
export function keepsWhatWasRead(error: ExportReadError): boolean {
  return error.code === 'malformed-json' || error.code === 'truncated-json' || error.code === 'element-too-large';
}
