import { PROGRESS_INTERVAL_BYTES } from './exportReadOptions';

/** Wraps onProgress so it fires at most once per PROGRESS_INTERVAL_BYTES, plus a final call. */
export function progressThrottle(
  totalBytes: number,
  onProgress: ((bytesRead: number, totalBytes: number) => void) | undefined,
): { add(bytes: number): void; finish(): void } {
  let bytesRead = 0;
  let reported = 0;
  return {
    add(bytes) {
      bytesRead += bytes;
      if (onProgress && bytesRead - reported >= PROGRESS_INTERVAL_BYTES) {
        reported = bytesRead;
        onProgress(bytesRead, totalBytes);
      }
    },
    finish() {
      if (onProgress && reported !== bytesRead) {
        reported = bytesRead;
        onProgress(bytesRead, totalBytes);
      }
    },
  };
}
