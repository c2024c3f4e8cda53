// The import's workflow execution as a timeline: each state entered, how long it took, retries,
// errors, and the Map's progress over the export's parts; on AWS a link to the real console.

import type { ExecutionView, TimelineStep } from '@threadline/core/httpApi/apiResponses';
import { el } from '../element';
import { formatCount, formatDateTime, formatDuration } from '../numberFormat';
import { poll } from '../polling';
import { statusBadge } from '../statusBadge';
import type { View, ViewContext } from '../view';

export function executionPage(ctx: ViewContext, importId: string): View {
  const header = el('div', { class: 'title-row' }, el('h1', {}, 'Workflow steps'));
  const summary = el('p', { class: 'muted' }, 'Loading…');
  const timeline = el('ol', { class: 'timeline' });
  const error = el('p', { class: 'error', role: 'alert' });
  const element = el(
    'section',
    { class: 'card' },
    header,
    summary,
    timeline,
    error,
    el('p', { class: 'links' }, el('a', { href: `#/imports/${importId}` }, '← Back to the import')),
  );

  const show = (execution: ExecutionView) => {
    header.replaceChildren(el('h1', {}, 'Workflow steps'), statusBadge(execution.status));
    summary.replaceChildren(
      `Started ${formatDateTime(execution.startDate)}`,
      execution.stopDate ? ` · ended ${formatDateTime(execution.stopDate)}` : '',
      execution.consoleUrl ? ' · ' : '',
      execution.consoleUrl ? el('a', { href: execution.consoleUrl, target: '_blank', rel: 'noopener noreferrer' }, 'Open in the AWS console') : '',
    );
    timeline.replaceChildren(...execution.steps.map((step) => stepItem(step, execution)));
    if (execution.error) error.textContent = `${execution.error}${execution.cause ? `: ${execution.cause}` : ''}`;
    return execution.status === 'RUNNING';
  };

  const stop = poll(
    1000,
    async () => show(await ctx.api<ExecutionView>(`/imports/${encodeURIComponent(importId)}/execution`)),
    (failure) => {
      summary.textContent = '';
      error.textContent = (failure as Error).message;
    },
  );
  return { element, dispose: stop };
}

function stepItem(step: TimelineStep, execution: ExecutionView): HTMLElement {
  const state = step.error && !step.exitedAt ? 'failed' : step.exitedAt ? (step.error ? 'recovered' : 'done') : 'running';
  const item = el(
    'li',
    { class: `step step-${state}` },
    el(
      'div',
      { class: 'step-head' },
      el('strong', {}, step.name),
      el('span', { class: 'muted' }, step.type),
      el('span', { class: 'numbers duration' }, step.durationMs !== null ? formatDuration(step.durationMs) : 'running…'),
    ),
    el('div', { class: 'muted small' }, `entered ${new Date(step.enteredAt).toLocaleTimeString()}`, step.exitedAt ? ` · exited ${new Date(step.exitedAt).toLocaleTimeString()}` : ''),
  );
  if (step.attempts > 1) item.append(el('div', { class: 'small' }, `${step.attempts} attempts (retried)`));
  if (step.mapRun || step.type === 'Map') {
    const { done, total } = execution.mapProgress;
    item.append(
      el(
        'div',
        { class: 'progress-row small' },
        el('progress', { max: Math.max(total, 1), value: done, 'aria-label': `${step.name} progress` }),
        el('span', { class: 'numbers' }, `${formatCount(done)} / ${formatCount(total)} parts`),
      ),
    );
  }
  if (step.error) item.append(el('div', { class: 'error small' }, `${step.error.error ?? 'Error'}${step.error.cause ? `: ${step.error.cause.slice(0, 400)}` : ''}`));
  return item;
}
