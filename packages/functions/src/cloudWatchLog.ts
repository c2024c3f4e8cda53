/** A Lambda's log: one JSON line per entry on stdout, which Lambda sends to CloudWatch Logs. */
export function cloudWatchLog(message: string, details?: Record<string, unknown>): void {
  console.log(JSON.stringify({ message, ...details }));
}
