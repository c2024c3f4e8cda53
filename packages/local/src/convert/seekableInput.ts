// `convert` reads a ZIP from its end (the central directory), so it needs a file it can seek.
// A pipe, stdin (`-`) or process substitution (`<(…)`, a /dev/fd path) is copied to a
// temporary file first; a regular file is read where it is.

import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteSource } from '@threadline/core/chatgptExport/byteSource';
import { fileSource } from '@threadline/core/chatgptExport/fileSource';

/** The input as a random-access source; `spoolDir` receives the copy of a non-seekable input. */
export async function seekableInput(input: string, spoolDir: string, stdin: Readable = process.stdin): Promise<ByteSource> {
  if (input === '-') return spool(stdin, 'stdin', spoolDir);
  const stats = await stat(input);
  // A directory is passed on, so reading it fails as it always did (EISDIR, one line).
  if (stats.isFile() || stats.isDirectory()) return fileSource(input);
  return spool(createReadStream(input), input, spoolDir);
}

async function spool(stream: Readable, name: string, spoolDir: string): Promise<ByteSource> {
  const path = join(spoolDir, `input-${basename(name) || 'stdin'}`);
  await pipeline(stream, createWriteStream(path));
  // Messages name the input as the user gave it, not our copy.
  return { ...fileSource(path), name };
}
