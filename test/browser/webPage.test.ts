// The page in a real browser against the whole local system: upload a generated export through
// the page, watch the import finish, browse, and prove message content cannot run script.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalApp, type LocalApp } from '@threadline/local/server/localApp';
import { launchChromium } from './browserLaunch';
import { injectionPayload, injectionTitle, writeInjectedExport } from './injectedExport';
import { conversationsOf, readExportZip, writeExportZip } from '../e2e/support/exportFiles';
import '../setup/localPartsContext';

const webPackage = fileURLToPath(new URL('../../packages/web', import.meta.url));
const screenshots = fileURLToPath(new URL('../../test-output/screenshots', import.meta.url));

let workDir: string;
let app: LocalApp;
let browser: Browser;
let page: Page;
let exportPath: string;
let conversationCount: number;
let importId: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'threadline-browser-'));
  await mkdir(screenshots, { recursive: true });
  const webRoot = join(workDir, 'web');
  await build({ root: webPackage, logLevel: 'warn', build: { outDir: webRoot, emptyOutDir: true } });
  exportPath = join(workDir, 'chatgpt-export.zip');
  conversationCount = await writeInjectedExport(exportPath, workDir, 40);
  app = await startLocalApp({
    port: 0,
    webRoot,
    localUser: 'browser-user',
    // The run's shared DynamoDB Local; this file's own tables, bucket and s3rver.
    dynamoDbEndpoint: inject('localParts').env.AWS_ENDPOINT_URL_DYNAMODB,
    namePrefix: `web-${randomBytes(3).toString('hex')}`,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('the web page', () => {
  it('says which local identity it uses', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.textContent('#identity')).toBe('Local identity: browser-user');
  });

  it('uploads an export with progress and follows the import to completion', async () => {
    // The page follows the job live: it polls the job record until it is final.
    let jobPolls = 0;
    const countPolls = (request: { method(): string; url(): string }) => {
      if (request.method() === 'GET' && /\/api\/imports\/[0-9a-f-]{36}$/.test(request.url())) jobPolls += 1;
    };
    page.on('request', countPolls);
    await page.setInputFiles('#export-file', exportPath);
    await page.waitForURL(/#\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    importId = page.url().split('/').pop()!;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if ((await page.locator('.badge').textContent()) === 'Done') break;
      await page.waitForTimeout(100);
    }
    expect(await page.locator('.badge').textContent()).toBe('Done');
    page.off('request', countPolls);
    expect(jobPolls).toBeGreaterThan(1);
    expect(await page.textContent('.percent')).toBe('100 %');
    expect(await page.locator('.card.success').textContent()).toContain(`${conversationCount} new`);
    expect(await page.locator('.stats').textContent()).toContain(String(conversationCount));
    await page.screenshot({ path: join(screenshots, 'import-view.png'), fullPage: true });
  });

  it('shows the workflow execution as a timeline', async () => {
    await page.click('text=Workflow steps');
    await page.waitForSelector('.timeline .step');
    const steps = await page.locator('.step-head strong').allTextContents();
    expect(steps.length).toBeGreaterThanOrEqual(3);
    // The execution closes moments after the job (Finalize cleans the work files after recording
    // the outcome); the page polls it until then.
    await expect.poll(() => page.locator('.title-row .badge').textContent(), { timeout: 30_000 }).toBe('Done');
    await page.screenshot({ path: join(screenshots, 'execution-view.png'), fullPage: true });
  });

  it('lists conversations newest first with an activity chart that has bars', async () => {
    await page.goto(`${app.url}/#/conversations`);
    await page.waitForSelector('.conversation-list li');
    await page.waitForSelector('svg.activity rect');
    // At most 25 a page. DynamoDB Local counts whole base items toward a Query's 1 MB page even on
    // an INCLUDE index (AWS counts the projected bytes), so a local page can be shorter; the
    // cursor carries on, and all of them are reached below.
    expect(await page.locator('.conversation-list li').count()).toBeLessThanOrEqual(25);
    const dates = await page.locator('.conversation-list li .small').allTextContents();
    expect(dates.map((d) => d.slice(0, 10))).toEqual([...dates.map((d) => d.slice(0, 10))].sort().reverse());
    await page.screenshot({ path: join(screenshots, 'conversations.png'), fullPage: false });
    while (await page.locator('button:has-text("Load more")').isVisible()) {
      const before = await page.locator('.conversation-list li').count();
      await page.click('text=Load more');
      await expect.poll(() => page.locator('.conversation-list li').count()).toBeGreaterThan(before);
    }
    expect(await page.locator('.conversation-list li').count()).toBe(conversationCount);
  });

  it('opens a conversation with its messages', async () => {
    await page.goto(`${app.url}/#/conversations`);
    const first = page.locator('.conversation-list li a').nth(3);
    const title = await first.textContent();
    await first.click();
    await page.waitForSelector('.message');
    expect(await page.locator('.conversation > h1').textContent()).toBe(title);
    expect(await page.locator('.message').count()).toBeGreaterThan(1);
  });

  it('shows script and HTML in a message as text, and runs none of it', async () => {
    await page.goto(`${app.url}/#/conversations?q=${encodeURIComponent('injection')}`);
    await page.click(`text=${injectionTitle}`);
    await page.waitForSelector('.message-user');
    const userText = await page.locator('.message-user .message-body').textContent();
    expect(userText).toContain(injectionPayload);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.messages img, .messages script, .messages [onerror]').count()).toBe(0);
    // Tool output and thoughts are folded; links keep only safe schemes.
    expect(await page.locator('.messages details summary').allTextContents()).toEqual(expect.arrayContaining(['Thoughts', 'Code for python', 'Execution output']));
    expect(await page.locator('.messages a[href^="javascript"]').count()).toBe(0);
    expect(await page.locator('.messages a[href="https://example.com"]').getAttribute('rel')).toContain('noopener');
    await page.locator('.messages details summary', { hasText: 'Code for python' }).click();
    await page.screenshot({ path: join(screenshots, 'conversation.png'), fullPage: true });
  });

  it('searches every message: a highlighted snippet, script as text, and the hit opens at its message', async () => {
    await page.goto(`${app.url}/#/search`);
    await page.fill('input[name="q"]', '"rendered safely" docs');
    await page.click('form.search button[type="submit"]');
    await page.waitForSelector('.search-hit');
    const hit = page.locator('.search-hit', { hasText: injectionTitle });
    expect(await hit.locator('mark').allTextContents()).toEqual(['Rendered', 'safely', 'docs']);
    // Message text is untrusted: the snippet shows the markup as text, nothing of it is parsed.
    await page.fill('input[name="q"]', 'pwned');
    await page.click('form.search button[type="submit"]');
    await page.waitForSelector('.search-hit mark');
    expect(await page.locator('.search-hit .snippet').first().textContent()).toContain('<script>window.__pwned=1</script>');
    expect(await page.locator('.search-hits script, .search-hits img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: join(screenshots, 'search.png'), fullPage: true });

    await page.goto(`${app.url}/#/search?q=${encodeURIComponent('"rendered safely"')}`);
    await page.locator('.search-hit', { hasText: injectionTitle }).locator('a.search-hit-title').click();
    await page.waitForSelector('.message.focused');
    const focused = page.locator('.message.focused');
    expect(await focused.textContent()).toContain('Rendered safely');
    expect(await focused.getAttribute('data-position')).toBe(page.url().split('message=')[1]);
    expect(await focused.isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshots, 'search-hit-opened.png'), fullPage: false });
  });

  it('is readable on a phone', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`${app.url}/#/imports/${importId}`);
    await phone.waitForSelector('.card.success');
    const overflow = await phone.locator('html').evaluate((root) => root.scrollWidth - root.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: join(screenshots, 'import-view-phone.png'), fullPage: true });
    await phone.close();
  });

  it('retries a PARTIAL import from its page, and follows the retry on its own page', async () => {
    const files = await readExportZip(exportPath);
    const poisoned = join(workDir, 'poisoned-export.zip');
    await writeExportZip(poisoned, files, { 'conversations.json': [...conversationsOf(files), 42] });
    await page.goto(`${app.url}/#/`);
    await page.setInputFiles('#export-file', poisoned);
    await page.waitForURL(/#\/imports\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    const partialId = page.url().split('/').pop()!;
    const retry = page.locator('.card.partial button', { hasText: 'Retry' });
    await retry.waitFor({ timeout: 90_000 });
    await retry.click();
    // The same upload again, under a new import id: the page moves to it and follows it.
    await page.waitForURL((url) => /^#\/imports\/[0-9a-f-]{36}$/.test(url.hash) && !url.hash.endsWith(partialId), { timeout: 30_000 });
    await page.locator('.card.partial').waitFor({ timeout: 90_000 });
    expect(await page.locator('.card.partial .reason').textContent()).toMatch(/1 conversation/);
    expect(await page.locator('.card.partial button', { hasText: 'Retry' }).count()).toBe(1);
  });
});
