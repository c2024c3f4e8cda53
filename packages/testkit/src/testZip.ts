import yazl from 'yazl';

/** One file of a ZIP built for a test: `compress: false` stores it. */
export interface TestZipFile {
  name: string;
  content: string | Buffer;
  compress?: boolean;
}

/** Builds a ZIP in memory with yazl (test fixtures only). */
export async function buildTestZip(files: readonly TestZipFile[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const file of files) {
    const content = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    zip.addBuffer(content, file.name, { compress: file.compress ?? true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Replaces every occurrence of `from` with `to` (same length): how a test forges entry names. */
export function patchBytes(zip: Buffer, from: string, to: string): Buffer {
  if (from.length !== to.length) throw new Error('patchBytes needs equal lengths');
  const patched = Buffer.from(zip);
  const needle = Buffer.from(from);
  for (let at = patched.indexOf(needle); at !== -1; at = patched.indexOf(needle, at + 1)) {
    patched.write(to, at, 'latin1');
  }
  return patched;
}

/** Central-directory record offsets (signature PK\x01\x02), in order. */
export function centralDirectoryRecords(zip: Buffer): number[] {
  const offsets: number[] = [];
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = zip.indexOf(signature); at !== -1; at = zip.indexOf(signature, at + 4)) offsets.push(at);
  return offsets;
}
