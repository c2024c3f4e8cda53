import { importErrorNames } from '../importStateMachine';

/**
 * DynamoDB kept throttling the chunk's writes past the store's own backoff. The workflow retries
 * the whole chunk on this name (with longer waits); rewriting a chunk converges, so that is safe.
 */
export class StoreThrottled extends Error {
  override readonly name = importErrorNames.storeThrottled;
}
