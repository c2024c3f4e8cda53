import { httpApiHandler } from './httpApiHandler';
import { linkedApiContext } from './linkedApiContext';

/** The HTTP API's Lambda. */
export const handler = httpApiHandler(linkedApiContext);
