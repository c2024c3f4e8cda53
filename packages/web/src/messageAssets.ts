// A message's files on the page: images inline (lazy), audio with a player, anything else a
// download link with its name and size, and a visible placeholder for a file the export lacked.
// URLs come from our API (presigned GETs), never from conversation content.

import type { LinkedAsset } from '@threadline/core/httpApi/assetUrls';
import { el } from './element';
import { formatBytes } from './numberFormat';

export function assetElements(assets: readonly LinkedAsset[]): HTMLElement | null {
  if (assets.length === 0) return null;
  return el('div', { class: 'assets' }, assets.map(assetElement));
}

function assetElement(asset: LinkedAsset): HTMLElement {
  const name = asset.name ?? asset.pointer;
  const size = asset.bytes !== null ? formatBytes(asset.bytes) : null;
  if (!asset.stored || !asset.url) {
    return el('div', { class: 'asset asset-missing', title: asset.pointer }, `${name} — not in this export`);
  }
  const type = asset.mime_type ?? '';
  if (type.startsWith('image/')) {
    return el('figure', { class: 'asset asset-image' }, el('img', { src: asset.url, alt: name, loading: 'lazy' }), el('figcaption', { class: 'muted small' }, name));
  }
  if (type.startsWith('audio/') || type.startsWith('video/')) {
    const player = el(type.startsWith('audio/') ? 'audio' : 'video', { src: asset.url, controls: true, preload: 'metadata' });
    return el('figure', { class: 'asset asset-media' }, player, el('figcaption', { class: 'muted small' }, [name, size ? ` · ${size}` : null]));
  }
  return el('div', { class: 'asset asset-file' }, el('a', { href: asset.url, download: name }, name), size ? el('span', { class: 'muted small' }, ` · ${size}`) : null);
}

/** The transcript's Markdown with the files linked: each placeholder `[image: <file id>]` becomes a link, and a list of all files ends it. */
export function markdownWithFiles(transcript: string, assets: readonly LinkedAsset[]): string {
  if (assets.length === 0) return transcript;
  let text = transcript;
  const lines: string[] = [];
  for (const asset of assets) {
    const fileId = asset.pointer.slice(asset.pointer.indexOf('://') + 3 || 0);
    const label = (asset.name ?? fileId).replace(/[[\]]/g, '');
    const link = asset.url ? `${asset.mime_type?.startsWith('image/') ? '!' : ''}[${label}](${asset.url})` : `${label} (not in this export)`;
    text = text.replace(new RegExp(`\\[(image|audio|video|file): ${fileId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]`, 'g'), link);
    lines.push(`- ${asset.url ? `[${label}](${asset.url})` : `${label} — not in this export`}${asset.bytes !== null ? ` (${formatBytes(asset.bytes)})` : ''}`);
  }
  return `${text}\n\n## Files\n\n${lines.join('\n')}\n`;
}
