// The S3 side of offloading: writing, reading back (verified against the reference's sha256),
// listing and deleting the objects under a conversation's offload prefix.

import { createHash } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { keysUnderPrefix } from '../aws/objectsUnderPrefix';
import { objectKeys } from './objectKeys';
import type { ObjectRef } from './conversationItems';
import type { OffloadedObject } from './offloadLargeFields';
import type { StoreContext } from './storeContext';
import { errorClass } from '../errors/errorClass';

export class OffloadedObjectError extends errorClass('OffloadedObjectError') {}

/** Writes objects (once per key). Content-addressed keys make a rewrite harmless. */
export async function putOffloadedObjects(ctx: StoreContext, objects: OffloadedObject[]): Promise<number> {
  const unique = new Map(objects.map((object) => [object.key, object]));
  for (const object of unique.values()) {
    await ctx.clients.s3.send(
      new PutObjectCommand({
        Bucket: ctx.resources.bucket,
        Key: object.key,
        Body: object.body,
        ContentLength: object.bytes,
        ContentType: 'text/plain; charset=utf-8',
      }),
    );
  }
  return unique.size;
}

export async function readOffloadedText(ctx: StoreContext, ref: ObjectRef): Promise<string> {
  const output = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: ctx.resources.bucket, Key: ref.key }));
  if (!output.Body) throw new OffloadedObjectError(`offloaded object ${ref.key} has no body`);
  const body = Buffer.from(await output.Body.transformToByteArray());
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (sha256 !== ref.sha256 || body.byteLength !== ref.bytes) {
    throw new OffloadedObjectError(`offloaded object ${ref.key} does not match its reference`);
  }
  return body.toString('utf8');
}

/** The inline text, or the offloaded one when the item holds a reference instead. */
export async function resolveText(ctx: StoreContext, inline: string | undefined, ref: ObjectRef | undefined): Promise<string> {
  if (ref) return readOffloadedText(ctx, ref);
  return inline ?? '';
}

export async function listOffloadedKeys(ctx: StoreContext, userId: string, conversationId: string): Promise<string[]> {
  const keys: string[] = [];
  const prefix = objectKeys.offloadPrefix(userId, conversationId);
  for await (const key of keysUnderPrefix(ctx.clients.s3, ctx.resources.bucket, prefix)) keys.push(key);
  return keys;
}

const DELETE_OBJECTS_LIMIT = 1000;

export async function deleteObjectKeys(ctx: StoreContext, keys: string[]): Promise<number> {
  for (let start = 0; start < keys.length; start += DELETE_OBJECTS_LIMIT) {
    const batch = keys.slice(start, start + DELETE_OBJECTS_LIMIT);
    const output = await ctx.clients.s3.send(
      new DeleteObjectsCommand({
        Bucket: ctx.resources.bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    if (output.Errors?.length) {
      const first = output.Errors[0];
      throw new OffloadedObjectError(`${output.Errors.length} objects not deleted, e.g. ${first?.Key}: ${first?.Code}`);
    }
  }
  return keys.length;
}

/**
 * Deletes the conversation's offloaded objects that `keep` does not reference. Listing the prefix
 * (rather than diffing old and new references) also removes what a crashed earlier attempt left.
 */
export async function deleteUnreferencedObjects(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
  keep: ReadonlySet<string>,
): Promise<number> {
  const stored = await listOffloadedKeys(ctx, userId, conversationId);
  return deleteObjectKeys(ctx, stored.filter((key) => !keep.has(key)));
}
