// Step Functions matches Retry/Catch on an error's NAME (Lambda's errorType, `States.*`);
// locally that is `Error.name`, so errors raised by the engine carry the AWS name.
export class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Error name and cause text the way a Catch would see them. */
export function errorInfo(error: unknown): { Error: string; Cause: string } {
  if (error instanceof Error) return { Error: error.name, Cause: error.message };
  return { Error: 'Error', Cause: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error) };
}
