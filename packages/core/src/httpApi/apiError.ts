// An error a route throws on purpose: its status and message are safe to show to the caller.
// Anything else becomes a 500 whose body says nothing about the internals.

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const notFound = (message: string) => new ApiError(404, message);
