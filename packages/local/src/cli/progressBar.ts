import cliProgress from 'cli-progress';

export interface ProgressBar {
  update(value: number, payload?: Record<string, string | number>): void;
  setTotal(total: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr, only when stderr is a terminal: piped or CI output stays clean and
 * stdout stays free for data (JSONL, --json).
 */
export function progressBar(format: string, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update() {}, setTotal() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format, stream, hideCursor: true, clearOnComplete: true, etaBuffer: 50, fps: 10 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (value, payload) => bar.update(value, payload),
    setTotal: (value) => bar.setTotal(value),
    stop: () => bar.stop(),
  };
}
