/**
 * An entry name that could escape a destination folder if anyone ever used it as a path:
 * absolute (`/x`, `\x`, `C:x`), with a `..` segment (either separator), or with a NUL byte.
 */
export function isUnsafeEntryName(name: string): boolean {
  if (name.includes('\0')) return true;
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return true;
  return name.split(/[/\\]/).some((segment) => segment === '..');
}
