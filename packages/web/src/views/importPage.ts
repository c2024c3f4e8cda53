// One import, live: stage, percent, counts, pace and time left, polled twice a second while it
// runs; the reason and the failed conversations when it did not fully succeed.

import type { FailureReport, ImportJob, JobFailure, RetryOutcome } from '@threadline/core/httpApi/apiResponses';
import { el } from '../element';
import { ImportRateTracker } from '../importRate';
import { formatBytes, formatCount, formatDateTime, formatDuration } from '../numberFormat';
import { poll } from '../polling';
import { statusBadge } from '../statusBadge';
import type { View, ViewContext } from '../view';

const stageLabels: Record<string, string> = {
  SPLITTING: 'Reading the export',
  PROCESSING: 'Writing conversations',
  FINALIZING: 'Finishing',
};

export function importPage(ctx: ViewContext, importId: string): View {
  const rate = new ImportRateTracker();
  const title = el('h1', {}, 'Import');
  const badge = el('span', {});
  const stage = el('p', { class: 'stage' }, '\u00a0');
  const bar = el('progress', { max: 100, value: 0, 'aria-label': 'Import progress' });
  const percent = el('span', { class: 'percent numbers' }, '0 %');
  const stat = (label: string) => {
    const value = el('dd', { class: 'numbers' }, '—');
    return { value, row: el('div', {}, el('dt', {}, label), value) };
  };
  const stats = {
    total: stat('Conversations'),
    created: stat('New'),
    updated: stat('Updated'),
    unchanged: stat('Unchanged'),
    failed: stat('Failed'),
    messages: stat('Messages written'),
    files: stat('Files'),
    pace: stat('Pace'),
    left: stat('Time left'),
    elapsed: stat('Elapsed'),
  };
  const outcome = el('div', { class: 'outcome', 'aria-live': 'polite' });
  const error = el('p', { class: 'error', role: 'alert' });

  const element = el(
    'div',
    { class: 'stack' },
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'import-heading' },
      el('div', { class: 'title-row' }, Object.assign(title, { id: 'import-heading' }), badge),
      stage,
      el('div', { class: 'progress-row' }, bar, percent),
      el('dl', { class: 'stats' }, Object.values(stats).map((s) => s.row)),
      el('p', { class: 'links' }, el('a', { href: `#/imports/${importId}/execution` }, 'Workflow steps'), ' · ', el('a', { href: '#/conversations' }, 'Browse conversations')),
      error,
    ),
    outcome,
  );

  const show = (job: ImportJob) => {
    title.textContent = job.source.name || 'Import';
    badge.replaceChildren(statusBadge(job.status));
    stage.textContent =
      job.status === 'QUEUED'
        ? 'Waiting for the workflow to start…'
        : job.status === 'RUNNING'
          ? `${stageLabels[job.stage ?? ''] ?? job.stage ?? ''}${job.stage === 'SPLITTING' ? ` · ${formatBytes(job.bytes_read)} of ${formatBytes(job.bytes_total)}` : ''}${job.stage === 'PROCESSING' ? ` · part ${job.chunks_done} of ${job.chunks_total}` : ''}`
          : `Finished ${formatDateTime(job.finished_at)}`;
    bar.value = job.progress_percent;
    percent.textContent = `${Math.floor(job.progress_percent)} %`;
    const c = job.counts;
    const done = c.conversations_created + c.conversations_updated + c.conversations_unchanged + c.conversations_skipped_stale + c.conversations_failed;
    const pace = rate.add({ at: performance.now(), percent: job.progress_percent, conversationsDone: done });
    stats.total.value.textContent = formatCount(c.conversations_total);
    stats.created.value.textContent = formatCount(c.conversations_created);
    stats.updated.value.textContent = formatCount(c.conversations_updated);
    stats.unchanged.value.textContent = formatCount(c.conversations_unchanged + c.conversations_skipped_stale);
    stats.failed.value.textContent = formatCount(c.conversations_failed);
    stats.messages.value.textContent = formatCount(c.messages_put);
    // Copied or found already archived, of those the split planned; files the export lacks apart.
    stats.files.value.textContent =
      job.assets_total || c.assets_missing
        ? `${formatCount(c.assets_stored + c.assets_unchanged)} / ${formatCount(job.assets_total)}${c.assets_missing ? ` (${formatCount(c.assets_missing)} not in this export)` : ''}`
        : '—';
    const running = job.status === 'RUNNING' || job.status === 'QUEUED';
    stats.pace.value.textContent = running && pace.conversationsPerSecond !== null ? `${pace.conversationsPerSecond.toFixed(1)} /s` : '—';
    stats.left.value.textContent = running && pace.secondsLeft !== null ? formatDuration(pace.secondsLeft * 1000) : running ? 'estimating…' : '—';
    const started = job.started_at ? Date.parse(job.started_at) : null;
    const ended = job.finished_at ? Date.parse(job.finished_at) : Date.now();
    stats.elapsed.value.textContent = started ? formatDuration(Math.max(0, ended - started)) : '—';
    if (!running) outcome.replaceChildren(...outcomeOf(ctx, job));
    return running;
  };

  const stop = poll(
    500,
    async () => {
      const job = await ctx.api<ImportJob>(`/imports/${encodeURIComponent(importId)}`);
      error.textContent = '';
      return show(job);
    },
    (failure) => {
      error.textContent = (failure as Error).message;
    },
  );
  return { element, dispose: stop };
}

/** Files of the export that could not be used as they are (the conversations were imported). */
function assetProblemList(job: ImportJob): HTMLElement | null {
  if (!job.asset_problems?.length) return null;
  return el('details', { class: 'asset-problems' }, el('summary', {}, `${job.asset_problems.length} file(s) need a look`), el('ul', {}, ...job.asset_problems.map((problem) => el('li', {}, problem))));
}

function outcomeOf(ctx: ViewContext, job: ImportJob): HTMLElement[] {
  const c = job.counts;
  if (job.status === 'SUCCEEDED') {
    return [
      el(
        'section',
        { class: 'card success' },
        el('h2', {}, 'Import complete'),
        el('p', {}, `${formatCount(c.conversations_created)} new, ${formatCount(c.conversations_updated)} updated, ${formatCount(c.conversations_unchanged)} unchanged${c.duplicates ? `, ${formatCount(c.duplicates)} duplicates merged` : ''}.`),
        assetProblemList(job),
        el('a', { class: 'button', href: '#/conversations' }, 'Browse your conversations'),
      ),
    ];
  }
  const failures = el('div', {}, failureList(job.failures));
  const section = el(
    'section',
    { class: `card ${job.status === 'FAILED' ? 'failed' : 'partial'}` },
    el('h2', {}, job.status === 'FAILED' ? 'The import failed' : 'Imported, with some conversations left out'),
    el('p', { class: 'reason' }, job.error ?? 'No reason was recorded.'),
    job.missing_shards.length ? el('p', {}, `Files the export lists but does not contain: ${job.missing_shards.join(', ')}`) : null,
    job.read_errors.length ? el('ul', { class: 'read-errors' }, ...job.read_errors.map((problem) => el('li', {}, problem))) : null,
    assetProblemList(job),
    failures,
  );
  if (job.report_key && c.conversations_failed > job.failures.length) {
    const more = el('button', { type: 'button', class: 'secondary' }, `Show all ${formatCount(c.conversations_failed)} failures`);
    more.addEventListener('click', () => {
      more.disabled = true;
      void ctx.api<FailureReport>(`/imports/${encodeURIComponent(job.import_id)}/report`).then(
        (report) => failures.replaceChildren(failureList(report.failures)),
        (error: Error) => failures.append(el('p', { class: 'error' }, error.message)),
      );
    });
    section.append(more);
  }
  if (job.status === 'PARTIAL' || (job.status === 'FAILED' && job.interrupted)) section.append(retryButton(ctx, job));
  return [section];
}

/** Retry: the server redrives the execution where it can, or imports the same upload again. */
function retryButton(ctx: ViewContext, job: ImportJob): HTMLElement {
  const button = el('button', { type: 'button' }, 'Retry');
  const problem = el('p', { class: 'error', role: 'alert' });
  button.addEventListener('click', () => {
    button.disabled = true;
    problem.textContent = '';
    void ctx.api<RetryOutcome>(`/imports/${encodeURIComponent(job.import_id)}/retry`, { method: 'POST' }).then(
      (retried) => ctx.navigate(`#/imports/${encodeURIComponent(retried.importId)}`),
      (error: Error) => {
        button.disabled = false;
        problem.textContent = error.message;
      },
    );
  });
  return el('div', { class: 'retry' }, button, problem);
}

function failureList(failures: JobFailure[]): HTMLElement {
  if (failures.length === 0) return el('p', { class: 'muted' }, 'No conversation-level failures were recorded.');
  return el(
    'ol',
    { class: 'failures' },
    failures.map((failure) =>
      el('li', {}, el('code', {}, failure.conversation_id ?? `#${failure.index ?? '?'}`), ' — ', failure.reason),
    ),
  );
}
