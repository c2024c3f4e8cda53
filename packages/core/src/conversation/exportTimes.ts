// ChatGPT exports store times as float epoch seconds (or null). We keep ISO-8601 UTC strings.

// toISOString only yields the plain `YYYY-MM-DDTHH:MM:SS.sssZ` shape for years 0000–9999;
// anything outside is corrupt data, not a time.
const YEAR_0_MS = -62167219200000;
const YEAR_9999_END_MS = 253402300799999;

/** Finite epoch seconds from a number or a numeric string; null for anything else. */
export function epochSeconds(value: unknown): number | null {
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  const ms = Math.round(seconds * 1000);
  return ms >= YEAR_0_MS && ms <= YEAR_9999_END_MS ? seconds : null;
}

/** Float epoch seconds → ISO-8601 UTC with millisecond precision, or null. */
export function isoFromEpochSeconds(value: unknown): string | null {
  const seconds = epochSeconds(value);
  return seconds === null ? null : new Date(Math.round(seconds * 1000)).toISOString();
}

/** `YYYY-MM-DD` of an ISO-8601 UTC time. */
export function utcDate(iso: string | null): string | null {
  return iso === null ? null : iso.slice(0, 10);
}

/** `HH:MM` of an ISO-8601 UTC time. */
export function utcTime(iso: string | null): string | null {
  return iso === null ? null : iso.slice(11, 16);
}
