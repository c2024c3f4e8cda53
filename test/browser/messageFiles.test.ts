// A conversation's files in a real browser against the whole local system: an image that loads
// (from a presigned s3rver URL, lazily), a voice player, a download link, and the placeholder for
// a file the export lacked. And the page's multipart upload, with the API's multipart threshold
// lowered so a 6 MB export takes the path a > 5 GB one takes.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildTestZip } from '@threadline/testkit/testZip';
import { importExportFile } from '@threadline/local/app/importExportFile';
import { syntheticPdf, syntheticPng, syntheticWav } from '@threadline/generator/syntheticAssetBytes';
import { startLocalApp, type LocalApp } from '@threadline/local/server/localApp';
import { launchChromium } from './browserLaunch';
import '../setup/localPartsContext';

const webPackage = fileURLToPath(new URL('../../packages/web', import.meta.url));
const screenshots = fileURLToPath(new URL('../../test-output/screenshots', import.meta.url));
const user = 'files-user';

let workDir: string;
let app: LocalApp;
let browser: Browser;
let page: Page;

function part(contentType: string, pointer: string) {
  return { content_type: contentType, asset_pointer: pointer, size_bytes: 1 };
}

function exportWithFiles() {
  const userMessage = {
    id: 'u1',
    author: { role: 'user', name: null, metadata: {} },
    create_time: 1_735_000_000,
    content: { content_type: 'multimodal_text', parts: [part('image_asset_pointer', 'sediment://file_aa01'), part('audio_asset_pointer', 'sediment://file_bb02'), part('image_asset_pointer', 'sediment://file_cc03'), 'what is in this picture?'] },
    metadata: { attachments: [{ id: 'file-DD04', name: 'report.pdf', mime_type: 'application/pdf', size: 1 }] },
    recipient: 'all',
  };
  const answer = { id: 'a1', author: { role: 'assistant', name: null, metadata: {} }, create_time: 1_735_000_010, content: { content_type: 'text', parts: ['A red square.'] }, metadata: {}, recipient: 'all' };
  return [
    {
      id: 'files-conv',
      conversation_id: 'files-conv',
      title: 'Photo and voice',
      create_time: 1_735_000_000,
      update_time: 1_735_000_100,
      current_node: 'a1',
      mapping: {
        root: { id: 'root', parent: null, children: ['u1'], message: null },
        u1: { id: 'u1', parent: 'root', children: ['a1'], message: userMessage },
        a1: { id: 'a1', parent: 'u1', children: [], message: answer },
      },
    },
  ];
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'threadline-files-browser-'));
  await mkdir(screenshots, { recursive: true });
  const webRoot = join(workDir, 'web');
  await build({ root: webPackage, logLevel: 'warn', build: { outDir: webRoot, emptyOutDir: true } });
  app = await startLocalApp({
    port: 0,
    webRoot,
    localUser: user,
    // Uploads above 1 MB go multipart through the local API, so the page's multipart path runs.
    multipartAboveBytes: 1024 * 1024,
    dynamoDbEndpoint: inject('localParts').env.AWS_ENDPOINT_URL_DYNAMODB,
    namePrefix: `files-${randomBytes(3).toString('hex')}`,
  });
  // 2026 layout; file_cc03 is not in the export.
  const zip = await buildTestZip([
    { name: 'conversations-000.json', content: JSON.stringify(exportWithFiles()) },
    { name: 'file_aa01.dat', content: syntheticPng(40, 30, [220, 20, 20]) },
    { name: 'file_bb02.dat', content: syntheticWav(16_000) },
    { name: 'file-DD04.dat', content: syntheticPdf('Quarterly report') },
    { name: 'conversation_asset_file_names.json', content: JSON.stringify({ 'file_aa01.dat': 'red.png', 'file-DD04.dat': 'report.pdf' }) },
  ]);
  const exportPath = join(workDir, 'files-export.zip');
  await writeFile(exportPath, zip);
  const job = await importExportFile(app.system, { filePath: exportPath, userId: user });
  expect(job.status).toBe('SUCCEEDED');
  expect(job.counts).toMatchObject({ assets_stored: 3, assets_missing: 1 });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('files on the conversation page', () => {
  it('shows the image inline, a voice player, a download link and a placeholder for the missing file', async () => {
    await page.goto(`${app.url}/#/conversations/files-conv`);
    const image = page.locator('.asset-image img');
    await image.waitFor();
    expect(await image.getAttribute('loading')).toBe('lazy');
    expect(await image.getAttribute('alt')).toBe('red.png');
    // Loaded and decoded: the browser knows its real size.
    await expect.poll(() => image.evaluate((img) => { const element = img as unknown as { complete: boolean; naturalWidth: number }; return element.complete ? element.naturalWidth : 0; }), { timeout: 15_000 }).toBe(40);

    const audio = page.locator('.asset-media audio');
    expect(await audio.getAttribute('controls')).not.toBeNull();
    await expect.poll(() => audio.evaluate((element) => { const { duration } = element as unknown as { duration: number }; return Number.isFinite(duration) ? Math.round(duration) : -1; }), { timeout: 15_000 }).toBe(1);

    const download = page.locator('.asset-file a');
    expect(await download.textContent()).toBe('report.pdf');
    expect(await download.getAttribute('download')).toBe('report.pdf');
    expect(await page.locator('.asset-file').textContent()).toMatch(/^report\.pdf · \d+(\.\d+)? [kK]?B$/);

    expect(await page.locator('.asset-missing').textContent()).toBe('sediment://file_cc03 — not in this export');
    await page.screenshot({ path: join(screenshots, 'conversation-files.png'), fullPage: true });
  });

  it('uploads an export above the multipart threshold in parts and follows the import', async () => {
    const bigVoice = syntheticWav(6 * 1024 * 1024);
    const conversations = exportWithFiles().map((c) => ({ ...c, id: 'multipart-conv', conversation_id: 'multipart-conv', title: 'Sent in parts' }));
    const zip = await buildTestZip([
      // Another file id: the first test's user already has file_bb02, with other bytes.
      { name: 'conversations.json', content: JSON.stringify(conversations).replaceAll('file_bb02', 'file_ee99') },
      { name: 'file_ee99-voice.wav', content: bigVoice, compress: false },
    ]);
    const exportPath = join(workDir, 'big-export.zip');
    await writeFile(exportPath, zip);
    const partPuts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && /partNumber=\d+/.test(request.url())) partPuts.push(request.url());
    });
    await page.goto(app.url);
    await page.setInputFiles('#export-file', exportPath);
    await page.waitForURL(/#\/imports\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    await expect.poll(() => page.locator('.badge').textContent(), { timeout: 90_000 }).toBe('Done');
    expect(partPuts.length).toBe(2);
    await page.goto(`${app.url}/#/conversations/multipart-conv`);
    const audio = page.locator('.asset-media audio');
    await audio.waitFor();
    expect(await page.locator('.asset-media figcaption').textContent()).toBe('voice.wav · 6.0 MB');
  });
});
