import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { ExecutionRegistry, StepFunctionsError, type Execution, type ExecutionStatus } from './executionRegistry';

// The local Step Functions endpoint: the service's JSON 1.0 protocol (POST /, X-Amz-Target
// "AWSStepFunctions.<Operation>"), so `@aws-sdk/client-sfn` works unchanged through
// AWS_ENDPOINT_URL_SFN. Six operations over one POST route do not justify an HTTP framework.

type Operation = (registry: ExecutionRegistry, request: Record<string, unknown>) => unknown;

const seconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);

function summary(e: Execution) {
  return { executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: seconds(e.startDate), stopDate: seconds(e.stopDate) };
}

/** DescribeExecution's redrive fields, as AWS words them for executions it cannot redrive. */
function redriveStatusOf(e: Execution): { redriveStatus: 'NOT_REDRIVABLE'; redriveStatusReason: string } {
  if (e.status === 'RUNNING') return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is RUNNING and cannot be redriven' };
  if (e.status === 'SUCCEEDED') return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' };
  return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'the local engine cannot resume an execution where it stopped' };
}

/** AWS pages with an opaque token; an offset is enough for an in-memory list. */
function page<T>(items: T[], request: Record<string, unknown>, fallback: number): { items: T[]; nextToken?: string } {
  const start = typeof request.nextToken === 'string' ? Number(Buffer.from(request.nextToken, 'base64url').toString()) : 0;
  const size = typeof request.maxResults === 'number' && request.maxResults > 0 ? Math.min(request.maxResults, 1000) : fallback;
  const end = start + size;
  return { items: items.slice(start, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

const operations: Record<string, Operation> = {
  StartExecution(registry, request) {
    const execution = registry.start(String(request.stateMachineArn), request.name as string | undefined, request.input as string | undefined);
    return { executionArn: execution.executionArn, startDate: seconds(execution.startDate) };
  },
  DescribeExecution(registry, request) {
    const e = registry.describe(String(request.executionArn));
    return { ...summary(e), input: e.input, output: e.output, error: e.error, cause: e.cause, ...redriveStatusOf(e) };
  },
  // The engine cannot resume an execution where it stopped: AWS's answer for a non-redrivable one.
  RedriveExecution(registry, request) {
    const e = registry.describe(String(request.executionArn));
    throw new StepFunctionsError('ExecutionNotRedrivable', `Execution cannot be redriven: ${redriveStatusOf(e).redriveStatusReason}`);
  },
  ListExecutions(registry, request) {
    const all = registry.list(String(request.stateMachineArn), request.statusFilter as ExecutionStatus | undefined);
    const { items, nextToken } = page(all, request, 100);
    return { executions: items.map(summary), nextToken };
  },
  StopExecution(registry, request) {
    const e = registry.stop(String(request.executionArn), request.error as string | undefined, request.cause as string | undefined);
    return { stopDate: seconds(e.stopDate) };
  },
  GetExecutionHistory(registry, request) {
    const events = registry.describe(String(request.executionArn)).history;
    const ordered = request.reverseOrder === true ? [...events].reverse() : events;
    const { items, nextToken } = page(ordered, request, 100);
    return { events: items.map((event) => ({ ...event, timestamp: seconds(event.timestamp) })), nextToken };
  },
};

export interface StepFunctionsEndpoint {
  url: string;
  registry: ExecutionRegistry;
  close(): Promise<void>;
}

export async function startStepFunctionsEndpoint(registry = new ExecutionRegistry(), port = 0): Promise<StepFunctionsEndpoint> {
  const server: Server = createServer((request, response) => void handle(registry, request, response));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    registry,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(registry: ExecutionRegistry, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = operations[target.replace(/^AWSStepFunctions\./, '')];
  try {
    if (request.method !== 'POST' || !operation) throw new StepFunctionsError('UnknownOperationException', `Unsupported operation '${target}'`);
    const body = await text(request);
    const result = operation(registry, body ? (JSON.parse(body) as Record<string, unknown>) : {});
    reply(response, 200, result);
  } catch (error) {
    const type = error instanceof StepFunctionsError ? error.type : 'InternalFailure';
    reply(response, error instanceof StepFunctionsError ? 400 : 500, { __type: type, message: (error as Error).message });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(payload) });
  response.end(payload);
}
