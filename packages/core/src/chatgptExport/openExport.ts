import type { ByteSource } from './byteSource';
import { parseElement, type ScannedElement, scanConversationElements } from './conversationArrayScanner';
import { MANIFEST_FILE, baseNameOf, isConversationFileName, selectConversationFiles } from './conversationFiles';
import { ASSET_NAME_MAP_FILE, readAssetNameMap } from './exportAssetNames';
import { buildAssetInventory, emptyAssetInventory, type AssetInventory } from './exportAssetInventory';
import { readExportManifest, type ExportManifestFacts } from './exportManifest';
import { FORMAT_SNIFF_BYTES, describeLeadingBytes, detectExportFormat } from './exportFormat';
import { ExportReadError } from './exportReadError';
import {
  DEFAULT_MAX_ASSET_BYTES,
  DEFAULT_MAX_COMPRESSION_RATIO,
  DEFAULT_MAX_UNCOMPRESSED_BYTES,
  type ExportReadOptions,
} from './exportReadOptions';
import { progressThrottle } from './progressThrottle';
import type { TruncatedFile } from './truncatedFile';
import { readByteRange } from './readByteRange';
import { type ZipEntry, readZipDirectory, readZipEntry } from './zipArchive';
import { checkDeclaredSizes } from './zipSizeLimits';

/** A conversations file we will read. For a bare JSON upload both sizes are the file size. */
export interface ExportFile {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** One element of a conversations array, parsed but not yet interpreted. */
export interface RawConversationEntry {
  /** Ordinal across all files of the export, from 0. */
  index: number;
  file: string;
  /** Byte offset of the element in its (uncompressed) file. */
  offset: number;
  /** The element's JSON as it lies in the file (raw's source), for a caller that passes it on as is. */
  json: Buffer;
  raw: unknown;
}

/** One element of a conversations array, as its bytes (not parsed). */
export interface ConversationElement extends ScannedElement {
  /** Ordinal across all files of the export, from 0. */
  index: number;
  file: string;
}

function conversationElement(index: number, file: string, element: ScannedElement): ConversationElement {
  return {
    index,
    file,
    offset: element.offset,
    parts: element.parts,
    length: element.length,
    get bytes() {
      return element.bytes;
    },
  };
}

export interface OpenedExport {
  kind: 'zip' | 'json';
  /** The conversation files, in reading order (conversations.json first, then shards by number). */
  files: ExportFile[];
  /** Shards the archive's export_manifest.json names but the archive lacks: the export is incomplete. */
  missingShards: string[];
  /** Conversation files shorter than the manifest lists them: their ends are lost. */
  truncatedFiles: TruncatedFile[];
  /** Uncompressed bytes of the conversation files. */
  totalBytes: number;
  /** The files (images, voice, attachments) by file id, and those we will not copy. */
  assets: AssetInventory;
  /** Streams every conversation; each call reads the source again. */
  conversations(): AsyncIterable<RawConversationEntry>;
  /** The same, unparsed: for a caller that parses elsewhere (worker threads). */
  conversationElements(): AsyncIterable<ConversationElement>;
}

/** The manifest is an inventory; anything this large is not one and is skipped. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * Opens a ChatGPT export (ZIP, sharded or not, or a bare conversations JSON file). Checks the
 * container up front (format, central directory, names, declared sizes) so an unusable upload
 * fails before any conversation is produced; faults inside the data surface while iterating,
 * after the conversations before them.
 */
export async function openExport(source: ByteSource, options: ExportReadOptions = {}): Promise<OpenedExport> {
  const displayName = baseNameOf(source.name.replace(/\\/g, '/')) || source.name;
  const head = await readByteRange(source, 0, FORMAT_SNIFF_BYTES);
  const format = detectExportFormat(head);
  if (format === 'zip') return openZipExport(source, displayName, options);
  if (/\.zip$/i.test(displayName)) {
    throw new ExportReadError('not-a-zip', `${displayName} is not a ZIP archive (${describeLeadingBytes(head)})`);
  }
  if (format === 'json') return openJsonExport(source, displayName, options);
  throw new ExportReadError(
    'unknown-format',
    `${displayName} is neither a ChatGPT export ZIP nor a conversations JSON file (${describeLeadingBytes(head)})`,
  );
}

async function openJsonExport(source: ByteSource, name: string, options: ExportReadOptions): Promise<OpenedExport> {
  const size = await source.size();
  return {
    kind: 'json',
    files: [{ name, compressedSize: size, uncompressedSize: size }],
    missingShards: [],
    truncatedFiles: [],
    totalBytes: size,
    assets: emptyAssetInventory(),
    conversations: () => parsedConversations(elements()),
    conversationElements: () => elements(),
  };

  async function* elements(): AsyncGenerator<ConversationElement> {
    const progress = progressThrottle(size, options.onProgress);
    let index = 0;
    const chunks = countingChunks(source.stream(0) as AsyncIterable<Buffer>, progress.add);
    for await (const element of scanConversationElements(chunks, name, scannerOptions(options))) {
      yield conversationElement(index++, name, element);
    }
    progress.finish();
  }
}

async function openZipExport(source: ByteSource, archiveName: string, options: ExportReadOptions): Promise<OpenedExport> {
  const { entries, unsafeNames } = await readZipDirectory(source, archiveName);
  refuseUnsafeExportFiles(unsafeNames, archiveName);
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  const selection = selectConversationFiles(
    entries.map((entry) => entry.name),
    archiveName,
  );
  const conversationEntries = selection.files.map((name) => byName.get(name)!);
  const manifestEntry = byName.get(selection.folder + MANIFEST_FILE) ?? byName.get(MANIFEST_FILE);
  const limits = {
    maxUncompressedBytes: options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES,
    maxCompressionRatio: options.maxCompressionRatio ?? DEFAULT_MAX_COMPRESSION_RATIO,
  };
  checkDeclaredSizes(manifestEntry ? [...conversationEntries, manifestEntry] : conversationEntries, limits, archiveName);

  const present = new Set(selection.files.map(baseNameOf));
  const manifestJson = manifestEntry ? await readSmallJson(source, manifestEntry, archiveName) : undefined;
  const manifest = manifestJson === undefined ? noManifest : readExportManifest(manifestJson);
  const nameMapEntry = byName.get(selection.folder + ASSET_NAME_MAP_FILE) ?? byName.get(ASSET_NAME_MAP_FILE);
  const nameMap = readAssetNameMap(nameMapEntry ? await readSmallJson(source, nameMapEntry, archiveName) : undefined);
  const assets = buildAssetInventory(
    entries,
    nameMap,
    { maxAssetBytes: options.maxAssetBytes ?? DEFAULT_MAX_ASSET_BYTES, maxCompressionRatio: limits.maxCompressionRatio },
    archiveName,
  );
  assets.problems.unshift(
    ...unsafeNames.map((name) => `${archiveName}: skipped ${JSON.stringify(name.slice(0, 100))}, an unsafe file name (a real ChatGPT export never has one)`),
  );
  const totalBytes = conversationEntries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);

  return {
    kind: 'zip',
    files: conversationEntries.map(({ name, compressedSize, uncompressedSize }) => ({ name, compressedSize, uncompressedSize })),
    missingShards: manifest.conversationFiles.filter((name) => !present.has(name)),
    truncatedFiles: truncatedFilesOf(conversationEntries, manifest),
    totalBytes,
    assets,
    conversations: () => parsedConversations(elements()),
    conversationElements: () => elements(),
  };

  async function* elements(): AsyncGenerator<ConversationElement> {
    const progress = progressThrottle(totalBytes, options.onProgress);
    let index = 0;
    for (const entry of conversationEntries) {
      const chunks = countingChunks(readZipEntry(source, entry, archiveName), progress.add);
      for await (const element of scanConversationElements(chunks, entry.name, scannerOptions(options))) {
        yield conversationElement(index++, entry.name, element);
      }
    }
    progress.finish();
  }
}

const noManifest: ExportManifestFacts = { conversationFiles: [], listedSizes: new Map() };

/**
 * An advisory JSON file (the manifest, the asset name map). One that is not JSON only costs us
 * what it would have told, so it is ignored (undefined); a damaged ZIP entry is still an error
 * (the archive is damaged).
 */
async function readSmallJson(source: ByteSource, entry: ZipEntry, archiveName: string): Promise<unknown> {
  if (entry.uncompressedSize > MAX_MANIFEST_BYTES) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of readZipEntry(source, entry, archiveName)) chunks.push(chunk);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * An unsafe name is skipped and reported when it is just a file; when it claims to be a
 * conversations file or the manifest, the export itself is forged: refused whole.
 */
function refuseUnsafeExportFiles(unsafeNames: readonly string[], archiveName: string): void {
  const forged = unsafeNames.find((name) => {
    const base = baseNameOf(name.replace(/\\/g, '/'));
    return isConversationFileName(base) || base === MANIFEST_FILE;
  });
  if (forged !== undefined) {
    throw new ExportReadError(
      'unsafe-entry-name',
      `${archiveName} contains an unsafe file name (${JSON.stringify(forged.slice(0, 100))}); a real ChatGPT export never does`,
    );
  }
}

/** Files smaller than listed. A larger one is not flagged: its data is all there. */
function truncatedFilesOf(entries: readonly ZipEntry[], manifest: ExportManifestFacts): TruncatedFile[] {
  const truncated: TruncatedFile[] = [];
  for (const entry of entries) {
    const name = baseNameOf(entry.name);
    const listedBytes = manifest.listedSizes.get(name);
    if (listedBytes !== undefined && entry.uncompressedSize < listedBytes) truncated.push({ name, bytes: entry.uncompressedSize, listedBytes });
  }
  return truncated;
}

async function* parsedConversations(elements: AsyncIterable<ConversationElement>): AsyncGenerator<RawConversationEntry> {
  for await (const element of elements) {
    yield { index: element.index, file: element.file, offset: element.offset, json: element.bytes, raw: parseElement(element, element.file) };
  }
}

async function* countingChunks(chunks: AsyncIterable<Buffer>, count: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    count(chunk.length);
    yield chunk;
  }
}

function scannerOptions(options: ExportReadOptions) {
  return { maxElementBytes: options.maxConversationBytes };
}
