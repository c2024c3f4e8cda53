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
  return seconds === null ? null : isoFromEpochMs(Math.round(seconds * 1000));
}

const MS_PER_DAY = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/**
 * What `new Date(ms).toISOString()` gives for years 0000–9999, computed with integer arithmetic:
 * `convert` formats a time per message, and Date's formatting was ~3 % of its profile.
 * Days → civil date after Howard Hinnant's `civil_from_days` (proleptic Gregorian, as Date).
 */
function isoFromEpochMs(ms: number): string {
  const days = Math.floor(ms / MS_PER_DAY);
  const msOfDay = ms - days * MS_PER_DAY;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(msOfDay / 3_600_000);
  const minutes = Math.floor((msOfDay % 3_600_000) / 60_000);
  const secs = Math.floor((msOfDay % 60_000) / 1000);
  const millis = msOfDay % 1000;
  const yyyy = year < 1000 ? `${year}`.padStart(4, '0') : `${year}`;
  const sss = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`;
  return `${yyyy}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(secs)}.${sss}Z`;
}

/** `YYYY-MM-DD` of an ISO-8601 UTC time. */
export function utcDate(iso: string | null): string | null {
  return iso === null ? null : iso.slice(0, 10);
}

/** `HH:MM` of an ISO-8601 UTC time. */
export function utcTime(iso: string | null): string | null {
  return iso === null ? null : iso.slice(11, 16);
}
