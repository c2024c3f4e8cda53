// `convert` reads a ZIP from its end (the central directory), so it needs a file it can seek.
// A pipe, stdin (`-`) or process substitution (`<(…)`, a /dev/fd path) is copied to a
// temporary file first; a regular file is read where it is.

import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteSource } from '@threadline/core/export/byteSource';
import { fileSource } from '@threadline/core/export/fileSource';

export interface SeekableInput {
  source: ByteSource;
  /** Whether the input had to be copied (it was not a regular file). */
  spooled: boolean;
}

/** The input as a random-access source; `spoolDir` receives the copy of a non-seekable input. */
export async function seekableInput(input: string, spoolDir: string, stdin: Readable = process.stdin): Promise<SeekableInput> {
  if (input === '-') return { source: await spool(stdin, 'stdin', spoolDir), spooled: true };
  const stats = await stat(input);
  if (stats.isFile() || stats.isDirectory()) return { source: fileSource(input), spooled: false };
  return { source: await spool(createReadStream(input), input, spoolDir), spooled: true };
}

async function spool(stream: Readable, name: string, spoolDir: string): Promise<ByteSource> {
  const path = join(spoolDir, `input-${basename(name) || 'stdin'}`);
  await pipeline(stream, createWriteStream(path));
  // Messages name the input as the user gave it, not our copy.
  return { ...fileSource(path), name };
}
