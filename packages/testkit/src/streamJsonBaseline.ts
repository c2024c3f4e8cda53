import { type Readable, pipeline } from 'node:stream';
import { streamArray } from 'stream-json/streamers/stream-array.js';

/**
 * The project's chosen library doing the same job as scanConversationArray: stream-json 3.8's
 * parser + streamArray over a top-level array (no BOM, no wrapping object). Kept only so the
 * benchmark can compare both on the same bytes; nothing in the import path uses it.
 */
export async function* streamJsonConversations(readable: Readable): AsyncGenerator<unknown> {
  const elements = streamArray.withParserAsStream();
  // pipeline() forwards an error from either side to the iterator below.
  pipeline(readable, elements, () => {});
  for await (const item of elements as AsyncIterable<{ key: number; value: unknown }>) {
    yield item.value;
  }
}
