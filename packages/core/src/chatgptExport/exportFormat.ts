/** What the first bytes of an upload say it is. */
export type ExportFormat = 'zip' | 'json' | 'unknown';

/** How many leading bytes detectExportFormat wants. */
export const FORMAT_SNIFF_BYTES = 64;

/**
 * ZIP by magic (a local file header, or the end-of-central-directory record of an empty
 * archive); JSON if, after an optional UTF-8 BOM and whitespace, it opens with `[` or `{`.
 */
export function detectExportFormat(head: Buffer): ExportFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) {
    if ((head[2] === 0x03 && head[3] === 0x04) || (head[2] === 0x05 && head[3] === 0x06)) return 'zip';
  }
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (i === head.length) return head.length > 0 ? 'json' : 'unknown'; // only whitespace so far: let the scanner judge
  return head[i] === 0x5b || head[i] === 0x7b ? 'json' : 'unknown';
}

/** A short printable preview of leading bytes for error messages, e.g. `"<!DOCTYPE ht"`. */
export function describeLeadingBytes(head: Buffer): string {
  if (head.length === 0) return 'the file is empty';
  const text = head.subarray(0, 12).toString('latin1');
  const printable = /^[\x20-\x7e]*$/.test(text);
  return printable ? `it starts with "${text}"` : `it starts with bytes ${head.subarray(0, 8).toString('hex')}`;
}
