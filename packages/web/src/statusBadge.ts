import { el } from './element';

const labels: Record<string, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  SUCCEEDED: 'Done',
  PARTIAL: 'Partly done',
  FAILED: 'Failed',
  ABORTED: 'Stopped',
  TIMED_OUT: 'Timed out',
};

export function statusBadge(status: string): HTMLElement {
  return el('span', { class: `badge badge-${status.toLowerCase()}` }, labels[status] ?? status);
}
