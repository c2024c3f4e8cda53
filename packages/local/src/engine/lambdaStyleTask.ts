import { randomUUID } from 'node:crypto';
import type { StateDefinition } from './definitionWalk';
import { NamedError } from './namedError';

// Binds a handler written for Lambda (`handler(event, context)`) to a Task state, so the
// same function runs on AWS and locally.

export interface LambdaStyleContext {
  awsRequestId: string;
  functionName: string;
  invokedFunctionArn: string;
  getRemainingTimeInMillis(): number;
}

// `any` event: handlers declare their own event type (ProcessChunkEvent, ...), which a
// parameter of type `unknown` would reject under strictFunctionTypes.
export type TaskHandler = (event: any, context: LambdaStyleContext) => Promise<unknown> | unknown;

// The library's own default when a Task sets no TimeoutSeconds (AWS's is far longer).
const libraryDefaultTimeoutSeconds = 60;
// Step Functions' payload limit per state.
export const maxPayloadBytes = 256 * 1024;

export function lambdaStyleTask(stateName: string, state: StateDefinition, handler: TaskHandler): (input: unknown) => Promise<unknown> {
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  const functionName = /:function:([^:]+)/.exec(resource)?.[1] ?? stateName;
  const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : libraryDefaultTimeoutSeconds;

  return async (input) => {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const context: LambdaStyleContext = {
      awsRequestId: randomUUID(),
      functionName,
      invokedFunctionArn: resource,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let result: unknown;
    try {
      result = await handler(structuredClone(input), context);
    } catch (error) {
      throw error instanceof Error ? error : new NamedError('Error', String(error));
    }
    return asLambdaPayload(stateName, result);
  };
}

// Lambda returns JSON: undefined becomes null, Dates become strings, and so on.
function asLambdaPayload(stateName: string, result: unknown): unknown {
  const text = JSON.stringify(result ?? null);
  if (Buffer.byteLength(text) > maxPayloadBytes) {
    throw new NamedError('States.DataLimitExceeded', `The result of "${stateName}" is larger than 256 KiB`);
  }
  return JSON.parse(text);
}
