// What the global setup hands to test workers through vitest's provide/inject.
export interface LocalPartsContext {
  /** AWS_ENDPOINT_URL_*, AWS_REGION and the fake credentials of the run's local stack. */
  env: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    localParts: LocalPartsContext;
  }
}
