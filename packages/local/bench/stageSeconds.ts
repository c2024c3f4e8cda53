import type { HistoryEvent } from '../src/stepFunctions/executionRegistry';

/** Seconds each state took in an execution's history, by state name (the last visit wins). */
export function stageSeconds(history: HistoryEvent[]): Record<string, number> {
  const entered = new Map<string, number>();
  const seconds: Record<string, number> = {};
  for (const event of history) {
    const details = (event.stateEnteredEventDetails ?? event.stateExitedEventDetails) as { name: string } | undefined;
    if (!details) continue;
    if (event.type.endsWith('StateEntered')) entered.set(details.name, event.timestamp.getTime());
    else seconds[details.name] = (event.timestamp.getTime() - (entered.get(details.name) ?? event.timestamp.getTime())) / 1000;
  }
  return seconds;
}
