import type { ExportReadErrorCode } from '../../chatgptExport/exportReadError';

/**
 * The upload cannot be read as a ChatGPT export at all. The message is one line meant for the
 * user; the workflow's Catch records it on the job as the reason the import FAILED.
 */
export class UnreadableExport extends Error {
  override readonly name = 'UnreadableExport';
  constructor(
    message: string,
    readonly code: ExportReadErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
