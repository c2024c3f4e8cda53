import type { ExportReadErrorCode } from '../../chatgptExport/exportReadError';
import { domainError } from '../../errors/domainError';
import { workflowErrorNames } from '../workflowErrors';

/**
 * The upload cannot be read as a ChatGPT export at all. The message is one line meant for the
 * user; the workflow's Catch records it on the job as the reason the import FAILED.
 */
export class UnreadableExport extends domainError(workflowErrorNames.unreadableExport, 'input') {
  constructor(
    message: string,
    readonly code: ExportReadErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
