// An ApiContext on this test file's isolated tables and bucket, and a request builder.

import { useIsolatedResources } from '../../../../test/support/isolatedResources';
import type { ApiContext, ApiRequest } from '../../src/httpApi/apiTypes';

export async function createApiTestContext(label: string, workflowArn: string | null = null): Promise<ApiContext> {
  const isolated = await useIsolatedResources(label);
  return {
    clients: isolated.clients,
    resources: { tables: isolated.tables, bucket: isolated.bucket },
    workflowArn: () => workflowArn,
    region: 'us-east-1',
  };
}

export function apiRequest(method: string, pathWithQuery: string, options: { body?: unknown; userId?: string; local?: boolean } = {}): ApiRequest {
  const url = new URL(pathWithQuery, 'http://api.test');
  return {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    user: { userId: options.userId ?? 'user-a', local: options.local ?? true },
  };
}
