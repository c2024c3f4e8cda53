import { domainError } from '../../errors/domainError';
import { workflowErrorNames } from '../workflowErrors';

/**
 * DynamoDB kept throttling the chunk's writes past the store's own backoff. The workflow retries
 * the whole chunk on this name (with longer waits); rewriting a chunk converges, so that is safe.
 */
export class StoreThrottled extends domainError(workflowErrorNames.storeThrottled, 'capacity') {}
