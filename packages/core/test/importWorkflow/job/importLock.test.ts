import { beforeAll, describe, expect, it } from 'vitest';
import { useIsolatedResources, type IsolatedResources } from '../../../../../test/support/isolatedResources';
import {
  acquireImportLock,
  ImportLockBusy,
  ImportLockLost,
  readImportLock,
  releaseImportLock,
  renewImportLock,
} from '../../../src/importWorkflow/job/importLock';
import type { JobStoreContext } from '../../../src/importWorkflow/job/jobStoreContext';

let resources: IsolatedResources;
// A fake clock near real time: expires_at (TTL) must stay in the future, or DynamoDB Local may sweep the lock.
let clockMs = Date.now();
let ctx: JobStoreContext;

beforeAll(async () => {
  resources = await useIsolatedResources('import lock');
  ctx = { ...resources, now: () => new Date(clockMs) };
});

describe('import lock', () => {
  it('lets one import hold the lock; a second import of the same user is busy', async () => {
    const holder = await acquireImportLock(ctx, 'u1', 'imp-a', 600);
    expect(holder).toMatchObject({ user_id: 'u1', import_id: 'imp-a', lease_until: clockMs + 600_000 });

    const busy = await acquireImportLock(ctx, 'u1', 'imp-b', 600).catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(ImportLockBusy);
    expect((busy as ImportLockBusy).name).toBe('ImportLockBusy');
    expect((busy as ImportLockBusy).holder?.import_id).toBe('imp-a');
    expect((await readImportLock(ctx, 'u1'))?.import_id).toBe('imp-a');
  });

  it('does not block other users', async () => {
    await acquireImportLock(ctx, 'u2-a', 'imp-a', 600);
    await expect(acquireImportLock(ctx, 'u2-b', 'imp-b', 600)).resolves.toMatchObject({ import_id: 'imp-b' });
  });

  it('is re-entrant for the same import (a retried AcquireLock) and renews the lease', async () => {
    await acquireImportLock(ctx, 'u3', 'imp-a', 60);
    clockMs += 30_000;
    const again = await acquireImportLock(ctx, 'u3', 'imp-a', 60);
    expect(again.lease_until).toBe(clockMs + 60_000);
  });

  it('lets another import take over an expired lease, after which the old holder has lost it', async () => {
    await acquireImportLock(ctx, 'u4', 'imp-old', 60);
    clockMs += 59_000;
    await expect(acquireImportLock(ctx, 'u4', 'imp-new', 60)).rejects.toBeInstanceOf(ImportLockBusy);
    clockMs += 2_000;
    await expect(acquireImportLock(ctx, 'u4', 'imp-new', 60)).resolves.toMatchObject({ import_id: 'imp-new' });

    await expect(renewImportLock(ctx, 'u4', 'imp-old', 60)).rejects.toBeInstanceOf(ImportLockLost);
    expect(await releaseImportLock(ctx, 'u4', 'imp-old')).toBe(false);
    expect((await readImportLock(ctx, 'u4'))?.import_id).toBe('imp-new');
  });

  it('renews only a lock it holds, keeping others out', async () => {
    await acquireImportLock(ctx, 'u5', 'imp-a', 60);
    clockMs += 50_000;
    const renewed = await renewImportLock(ctx, 'u5', 'imp-a', 60);
    expect(renewed.lease_until).toBe(clockMs + 60_000);
    clockMs += 50_000; // past the first lease, within the renewed one
    await expect(acquireImportLock(ctx, 'u5', 'imp-b', 60)).rejects.toBeInstanceOf(ImportLockBusy);
  });

  it('refuses a release by a non-owner; the owner releases, and then the lock is free', async () => {
    await acquireImportLock(ctx, 'u6', 'imp-a', 600);
    expect(await releaseImportLock(ctx, 'u6', 'imp-b')).toBe(false);
    expect((await readImportLock(ctx, 'u6'))?.import_id).toBe('imp-a');
    expect(await releaseImportLock(ctx, 'u6', 'imp-a')).toBe(true);
    expect(await releaseImportLock(ctx, 'u6', 'imp-a')).toBe(false);
    expect(await readImportLock(ctx, 'u6')).toBeNull();
    await expect(acquireImportLock(ctx, 'u6', 'imp-b', 600)).resolves.toMatchObject({ import_id: 'imp-b' });
  });

  it('lets exactly one of many concurrent imports win', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => acquireImportLock(ctx, 'u7', `imp-${i}`, 600)),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(attempts.filter((a) => a.status === 'rejected' && a.reason instanceof ImportLockBusy)).toHaveLength(9);
  });

  it('sets expires_at (TTL, epoch seconds) past the lease', async () => {
    const holder = await acquireImportLock(resources, 'u8', 'imp-a', 600);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { Item } = await resources.clients.dynamo.send(
      new GetCommand({ TableName: resources.tables.Imports, Key: { pk: 'USER#u8', sk: 'LOCK' } }),
    );
    expect(Item?.expires_at).toBeGreaterThanOrEqual(Math.ceil(holder.lease_until / 1000));
  });
});
