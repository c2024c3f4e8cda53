// Home: pick or drop an export, upload it with a real progress bar, then follow the import.
// Below: the imports so far.

import type { CreatedImport, ImportJobSummary, Page } from '@threadline/core/httpApi/apiResponses';
import { el } from '../element';
import { formatBytes, formatCount, formatDateTime } from '../numberFormat';
import { statusBadge } from '../statusBadge';
import { uploadExport } from '../uploadExport';
import { uploadParts } from '../uploadParts';
import type { View, ViewContext } from '../view';

/** The API takes exports up to 50 GiB (multipart above S3's 5 GB POST limit). */
const maxExportBytes = 50 * 1024 ** 3;

export function importsPage(ctx: ViewContext): View {
  let cancelUpload: (() => void) | undefined;
  const input = el('input', { type: 'file', id: 'export-file', accept: '.zip,.json,application/zip,application/json', class: 'visually-hidden' });
  const mirror = el('input', { type: 'checkbox', id: 'mirror' });
  const message = el('p', { class: 'form-message', role: 'alert' });
  const progress = el('progress', { max: 100, value: 0, 'aria-label': 'Upload progress' });
  const progressText = el('span', { class: 'numbers' }, '\u00a0');
  const progressBlock = el('div', { class: 'upload-progress', hidden: true }, progress, progressText);
  const dropzone = el(
    'label',
    { class: 'dropzone', for: 'export-file' },
    el('strong', {}, 'Choose your ChatGPT export'),
    el('span', {}, 'or drop the .zip (or conversations.json) here'),
  );

  const start = async (file: File) => {
    message.textContent = '';
    if (!/\.(zip|json)$/i.test(file.name)) {
      message.textContent = 'That is not an export: choose the .zip ChatGPT e-mailed you, or a conversations .json file.';
      return;
    }
    if (file.size === 0 || file.size > maxExportBytes) {
      message.textContent = file.size === 0 ? 'That file is empty.' : `That file is ${formatBytes(file.size)}; the limit is 50 GB.`;
      return;
    }
    dropzone.classList.add('busy');
    input.disabled = true;
    progressBlock.hidden = false;
    try {
      const created = await ctx.api<CreatedImport>('/imports', { method: 'POST', body: { fileName: file.name, bytes: file.size, mirror: mirror.checked } });
      const onProgress = (sent: number, total: number) => {
        progress.value = total > 0 ? (sent / total) * 100 : 0;
        progressText.textContent = `${formatBytes(sent)} of ${formatBytes(total)} sent`;
      };
      if (created.multipart) {
        const upload = uploadParts(created.multipart, file, onProgress);
        cancelUpload = upload.abort;
        const parts = await upload.done;
        await ctx.api(`/imports/${created.importId}/complete`, { method: 'POST', body: { uploadId: created.multipart.uploadId, parts } });
      } else {
        const upload = uploadExport(created.upload!, file, onProgress);
        cancelUpload = upload.abort;
        await upload.done;
      }
      ctx.navigate(`#/imports/${created.importId}`);
    } catch (error) {
      message.textContent = (error as Error).message;
      progressBlock.hidden = true;
    } finally {
      dropzone.classList.remove('busy');
      input.disabled = false;
      cancelUpload = undefined;
    }
  };

  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void start(file);
    input.value = '';
  });
  dropzone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropzone.classList.add('over');
  });
  dropzone.addEventListener('dragleave', () => dropzone.classList.remove('over'));
  dropzone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropzone.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) void start(file);
  });
  // The label opens the picker on click; make Enter/Space on the focused zone do the same.
  dropzone.tabIndex = 0;
  dropzone.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      input.click();
    }
  });

  const history = el('section', { class: 'card', 'aria-labelledby': 'past-imports' }, el('h2', { id: 'past-imports' }, 'Past imports'), el('p', { class: 'muted' }, 'Loading…'));
  void ctx.api<Page<ImportJobSummary>>('/imports?limit=20').then(
    (page) => history.replaceChildren(history.firstChild!, pastImports(page.items)),
    (error: Error) => history.replaceChildren(history.firstChild!, el('p', { class: 'error' }, error.message)),
  );

  const element = el(
    'div',
    { class: 'stack' },
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'import-title' },
      el('h1', { id: 'import-title' }, 'Import'),
      el('p', { class: 'muted' }, 'Your export goes straight to your archive storage; the import runs there and you can follow it live.'),
      input,
      dropzone,
      el('div', { class: 'option' }, mirror, el('label', { for: 'mirror' }, 'Mirror: remove archived conversations this export no longer contains')),
      progressBlock,
      message,
    ),
    history,
  );
  return { element, dispose: () => cancelUpload?.() };
}

function pastImports(jobs: ImportJobSummary[]): HTMLElement {
  if (jobs.length === 0) return el('p', { class: 'muted' }, 'No imports yet.');
  return el(
    'ul',
    { class: 'import-list' },
    jobs.map((job) =>
      el(
        'li',
        {},
        el('a', { href: `#/imports/${job.import_id}` }, job.source.name || job.import_id),
        statusBadge(job.status),
        el('span', { class: 'muted numbers' }, `${formatCount(job.counts.conversations_total)} conversations`),
        el('span', { class: 'muted' }, formatDateTime(job.created_at)),
      ),
    ),
  );
}
