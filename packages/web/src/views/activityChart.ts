// Conversations and messages per month, drawn as SVG bars (two series, each on its own scale).

import type { MonthActivity } from '@threadline/core/httpApi/apiResponses';
import { activityBars } from '../activityBars';
import { el, svg } from '../element';
import { formatCount } from '../numberFormat';

const width = 640;
const height = 140;
const top = 8;
const bottom = 22;

export function activityChart(months: MonthActivity[]): HTMLElement {
  if (months.length === 0) return el('p', { class: 'muted' }, 'No dated conversations yet.');
  const bars = activityBars(months, width, height - top - bottom);
  const base = height - bottom;
  const labelEvery = Math.max(1, Math.ceil(bars.length / 8));
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, class: 'activity', role: 'img', 'aria-labelledby': 'activity-title' },
    svg('title', { id: 'activity-title' }, `Conversations and messages per month, ${bars[0]!.month} to ${bars[bars.length - 1]!.month}`),
    svg('line', { x1: 0, x2: width, y1: base, y2: base, class: 'axis' }),
    bars.map((bar, index) => [
      svg(
        'rect',
        { class: 'bar-conversations', x: bar.x, y: base - bar.conversationsHeight, width: bar.width, height: bar.conversationsHeight },
        svg('title', {}, `${bar.month}: ${formatCount(bar.conversations)} conversations`),
      ),
      svg(
        'rect',
        { class: 'bar-messages', x: bar.x + bar.width, y: base - bar.messagesHeight, width: bar.width, height: bar.messagesHeight },
        svg('title', {}, `${bar.month}: ${formatCount(bar.messages)} messages`),
      ),
      index % labelEvery === 0 ? svg('text', { x: bar.x, y: height - 6, class: 'tick' }, bar.month) : null,
    ]).flat(),
  );
  return el(
    'figure',
    { class: 'chart' },
    chart,
    el(
      'figcaption',
      { class: 'legend small' },
      el('span', { class: 'key key-conversations' }),
      'conversations',
      el('span', { class: 'key key-messages' }),
      'messages (per month, each on its own scale)',
    ),
  );
}
