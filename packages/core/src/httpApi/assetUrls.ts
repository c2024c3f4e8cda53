// Where the page loads a stored file from: a presigned GET of its object (on AWS, S3 itself; on
// the local system, s3rver), valid for an hour, that downloads under the file's own name.
// Presigning is local computation: no request per file.

import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { objectKeys } from '../archive/objectKeys';
import type { MessageAsset, MessageWithAssets } from '../archive/messageAssets';
import type { ApiContext } from './apiTypes';

export const ASSET_URL_SECONDS = 3600;

export type LinkedAsset = MessageAsset & { url: string | null };

export async function withAssetUrls<M extends MessageWithAssets>(ctx: ApiContext, userId: string, messages: readonly M[]): Promise<(M & { assets: LinkedAsset[] })[]> {
  return Promise.all(
    messages.map(async (message) => ({
      ...message,
      assets: await Promise.all(
        message.assets.map(async (asset): Promise<LinkedAsset> => ({ ...asset, url: asset.sha256 ? await assetUrl(ctx, userId, asset) : null })),
      ),
    })),
  );
}

function assetUrl(ctx: ApiContext, userId: string, asset: MessageAsset): Promise<string> {
  const name = (asset.name ?? 'file').replace(/["\\\r\n]/g, '_');
  return getSignedUrl(
    ctx.clients.s3,
    new GetObjectCommand({
      Bucket: ctx.resources.bucket,
      Key: objectKeys.asset(userId, asset.sha256!),
      ResponseContentType: asset.mime_type ?? undefined,
      // inline: images and audio play in the page; the download link asks for a download itself.
      ResponseContentDisposition: `inline; filename*=UTF-8''${encodeURIComponent(asset.name ?? 'file')}; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"`,
    }),
    { expiresIn: ASSET_URL_SECONDS },
  );
}
