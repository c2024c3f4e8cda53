import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../src/httpApi/apiTypes';
import { routeRequest } from '../../src/httpApi/routeTable';
import { jobItemKey } from '../../src/importWorkflow/job/importsTableKeys';
import { jobContextOf } from '../../src/importWorkflow/importContext';
import { writeFailureReport } from '../../src/importWorkflow/job/failureReport';
import { apiRequest, createApiTestContext } from './apiTestContext';

let ctx: ApiContext;
beforeAll(async () => {
  ctx = await createApiTestContext('api-imports');
});

interface PresignedPolicy {
  expiration: string;
  conditions: unknown[];
}

function policyOf(fields: Record<string, string>): PresignedPolicy {
  return JSON.parse(Buffer.from(fields.Policy!, 'base64').toString('utf8')) as PresignedPolicy;
}

describe('POST /imports', () => {
  it('creates the QUEUED job and a presigned POST whose policy admits only that key and size', async () => {
    const before = Date.now();
    const response = await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: 'My Export.zip', bytes: 12345, mirror: true } }));
    expect(response.statusCode).toBe(201);
    const body = response.body as { importId: string; upload: { url: string; fields: Record<string, string> }; job: { status: string; options: { mirror: boolean } } };
    expect(body.importId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.job).toMatchObject({ status: 'QUEUED', options: { mirror: true } });
    const key = `imports/user-a/${body.importId}.zip`;
    expect(body.upload.fields.key).toBe(key);
    expect(body.upload.url).toContain(ctx.resources.bucket);

    const policy = policyOf(body.upload.fields);
    const expiresIn = Date.parse(policy.expiration) - before;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    expect(policy.conditions).toContainEqual({ bucket: ctx.resources.bucket });
    expect(policy.conditions).toContainEqual({ key });
    const range = policy.conditions.find((c) => Array.isArray(c) && c[0] === 'content-length-range') as [string, number, number];
    expect(range[1]).toBeGreaterThanOrEqual(1);
    expect(range[2]).toBeLessThanOrEqual(5 * 1024 ** 3);
    expect(range[1]).toBeLessThanOrEqual(12345);
    expect(range[2]).toBeGreaterThanOrEqual(12345);
    // No condition lets the key vary (a starts-with on key would let the browser pick another).
    expect(policy.conditions.some((c) => Array.isArray(c) && c[0] === 'starts-with' && String(c[1]).includes('key'))).toBe(false);

    const job = await routeRequest(ctx, apiRequest('GET', `/imports/${body.importId}`));
    expect(job.statusCode).toBe(200);
    expect(job.body).toMatchObject({ import_id: body.importId, status: 'QUEUED', source: { name: 'My Export.zip', bytes: 12345, key } });
  });

  it('a .json export gets a .json key', async () => {
    const response = await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: 'conversations.json', bytes: 10 } }));
    const body = response.body as { importId: string; upload: { fields: Record<string, string> } };
    expect(body.upload.fields.key).toBe(`imports/user-a/${body.importId}.json`);
  });

  it.each([
    [{ bytes: 10 }, /fileName/],
    [{ fileName: 'notes.txt', bytes: 10 }, /\.zip or a \.json/],
    [{ fileName: 'a.zip', bytes: 0 }, /between 1 byte and 50 GiB/],
    [{ fileName: 'a.zip', bytes: 51 * 1024 ** 3 }, /between 1 byte and 50 GiB/],
    [{ fileName: 'a.zip' }, /bytes/],
    [{ fileName: 'a.zip', bytes: 5, mirror: 'yes' }, /mirror/],
    ['{not json', /not valid JSON/],
    ['[1,2]', /JSON object/],
  ])('rejects %j with 400 and a clear message', async (body, message) => {
    const response = await routeRequest(ctx, apiRequest('POST', '/imports', { body }));
    expect(response.statusCode).toBe(400);
    expect((response.body as { error: string }).error).toMatch(message);
  });

  it('above 5 GB hands out a multipart upload, which completes only with every part', async () => {
    const response = await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: 'huge.zip', bytes: 6 * 1024 ** 3 } }));
    expect(response.statusCode).toBe(201);
    const body = response.body as { importId: string; upload: unknown; multipart: { uploadId: string; partBytes: number; parts: { partNumber: number; url: string }[] } };
    expect(body.upload).toBeNull();
    expect(body.multipart.partBytes).toBe(64 * 1024 ** 2);
    expect(body.multipart.parts).toHaveLength(96);
    expect(body.multipart.parts[0]!.url).toMatch(/partNumber=1&/);
    const complete = await routeRequest(
      ctx,
      apiRequest('POST', `/imports/${body.importId}/complete`, { body: { uploadId: body.multipart.uploadId, parts: [{ partNumber: 1, etag: '"x"' }] } }),
    );
    expect(complete.statusCode).toBe(400);
    expect((complete.body as { error: string }).error).toBe('the upload is incomplete: 1 of 96 parts were sent (part 2 is missing)');
  });

  it('refuses a body over 64 KB with 413', async () => {
    const response = await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: 'a.zip', bytes: 5, padding: 'x'.repeat(70_000) } }));
    expect(response.statusCode).toBe(413);
  });
});

describe('GET /imports and the report', () => {
  it('lists only the caller\'s imports, newest first, with paging', async () => {
    for (let index = 0; index < 3; index++) {
      await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: `e${index}.zip`, bytes: 100 }, userId: 'lister' }));
    }
    await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: 'other.zip', bytes: 100 }, userId: 'someone-else' }));
    const first = await routeRequest(ctx, apiRequest('GET', '/imports?limit=2', { userId: 'lister' }));
    const page = first.body as { items: { source: { name: string } }[]; cursor: string | null };
    expect(page.items.map((job) => job.source.name)).toEqual(['e2.zip', 'e1.zip']);
    expect(page.cursor).not.toBeNull();
    const second = await routeRequest(ctx, apiRequest('GET', `/imports?limit=2&cursor=${page.cursor}`, { userId: 'lister' }));
    expect((second.body as typeof page).items.map((job) => job.source.name)).toEqual(['e0.zip']);
    expect((await routeRequest(ctx, apiRequest('GET', '/imports?limit=0', { userId: 'lister' }))).statusCode).toBe(400);
    expect((await routeRequest(ctx, apiRequest('GET', '/imports?cursor=bad!', { userId: 'lister' }))).statusCode).toBe(400);
    // Well-formed base64url that is no list position: the listing's InvalidCursorError, a 400 by its kind.
    const notAPosition = Buffer.from('{"not":"a position"}').toString('base64url');
    const notJson = Buffer.from('not json').toString('base64url');
    for (const cursor of [notAPosition, notJson]) {
      expect(await routeRequest(ctx, apiRequest('GET', `/imports?cursor=${cursor}`, { userId: 'lister' }))).toEqual({ statusCode: 400, body: { error: 'invalid cursor' } });
    }
  });

  it('another user\'s import is 404, not theirs to see', async () => {
    const created = await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: 'a.zip', bytes: 100 }, userId: 'owner' }));
    const { importId } = created.body as { importId: string };
    expect((await routeRequest(ctx, apiRequest('GET', `/imports/${importId}`, { userId: 'owner' }))).statusCode).toBe(200);
    const stranger = await routeRequest(ctx, apiRequest('GET', `/imports/${importId}`, { userId: 'stranger' }));
    expect(stranger).toEqual({ statusCode: 404, body: { error: `no import "${importId}"` } });
  });

  it('serves the full failure report once the job names it', async () => {
    const created = await routeRequest(ctx, apiRequest('POST', '/imports', { body: { fileName: 'a.zip', bytes: 100 } }));
    const { importId } = created.body as { importId: string };
    expect((await routeRequest(ctx, apiRequest('GET', `/imports/${importId}/report`))).statusCode).toBe(404);

    const failures = Array.from({ length: 150 }, (_, index) => ({ index, conversation_id: `c${index}`, reason: 'bad mapping' }));
    const { key } = await writeFailureReport(jobContextOf(ctx), 'user-a', importId, failures);
    await ctx.clients.dynamo.send(
      new UpdateCommand({
        TableName: ctx.resources.tables.Imports,
        Key: jobItemKey({ userId: 'user-a', importId }),
        UpdateExpression: 'SET report_key = :key',
        ExpressionAttributeValues: { ':key': key },
      }),
    );
    const report = await routeRequest(ctx, apiRequest('GET', `/imports/${importId}/report`));
    expect(report.statusCode).toBe(200);
    expect(report.body).toMatchObject({ import_id: importId, failure_count: 150 });
    expect((report.body as { failures: unknown[] }).failures).toHaveLength(150);
  });
});

describe('routing and errors', () => {
  it('404 for unknown paths and ids, 405 for a known path with another method', async () => {
    expect((await routeRequest(ctx, apiRequest('GET', '/nowhere'))).statusCode).toBe(404);
    expect((await routeRequest(ctx, apiRequest('GET', '/imports/no-such-import'))).statusCode).toBe(404);
    expect((await routeRequest(ctx, apiRequest('GET', '/imports/..%2F..'))).statusCode).toBe(404);
    const wrongMethod = await routeRequest(ctx, apiRequest('PUT', '/imports'));
    expect(wrongMethod.statusCode).toBe(405);
    expect((wrongMethod.body as { error: string }).error).toMatch(/allowed: POST, GET/);
  });

  it('an unexpected failure is a 500 that reveals nothing of the internals', async () => {
    const broken: ApiContext = { ...ctx, resources: { ...ctx.resources, tables: { ...ctx.resources.tables, Imports: 'no-such-table' } } };
    const response = await routeRequest(broken, apiRequest('GET', '/imports'));
    expect(response.statusCode).toBe(500);
    expect(JSON.stringify(response.body)).not.toMatch(/no-such-table|ResourceNotFound|at /);
  });

  it('GET /me names the caller', async () => {
    expect((await routeRequest(ctx, apiRequest('GET', '/me', { userId: 'me-1', local: true }))).body).toEqual({ userId: 'me-1', local: true });
  });
});
