// Error text stored on a job item: bounded (items are capped at 400 KB and the page shows it as
// is) and never cut through a surrogate pair, which would leave invalid UTF-16 behind.

export const jobErrorMaxLength = 500;

/** `reason` (an Error, a string or anything else) as at most `maxLength` UTF-16 code units. */
export function jobErrorText(reason: unknown, maxLength: number = jobErrorMaxLength): string {
  const text = describe(reason).trim() || 'unknown error';
  if (text.length <= maxLength) return text;
  const ellipsis = '…';
  let cut = maxLength - ellipsis.length;
  // A high surrogate at the end of the kept part would lose its partner: drop it too.
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return text.slice(0, cut) + ellipsis;
}

function describe(reason: unknown): string {
  if (reason instanceof Error) {
    return reason.name && reason.name !== 'Error' && !reason.message.startsWith(reason.name)
      ? `${reason.name}: ${reason.message}`
      : reason.message || reason.name;
  }
  if (typeof reason === 'string') return reason;
  if (reason === undefined || reason === null) return '';
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}
