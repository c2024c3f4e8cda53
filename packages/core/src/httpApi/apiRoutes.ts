// Every route of the HTTP API in API Gateway's syntax, defined once: the dispatcher must handle
// exactly these (its table is typed by them) and the deployment creates exactly these routes.
export const apiRoutes = [
  'GET /me',
  'POST /imports',
  'POST /imports/{id}/complete',
  'GET /imports',
  'GET /imports/{id}',
  'GET /imports/{id}/report',
  'GET /imports/{id}/execution',
  'POST /imports/{id}/retry',
  'GET /activity',
  'GET /conversations',
  'GET /conversations/{id}',
  'GET /conversations/{id}/messages',
  'DELETE /conversations/{id}',
  'GET /search',
] as const;

export type ApiRoute = (typeof apiRoutes)[number];
