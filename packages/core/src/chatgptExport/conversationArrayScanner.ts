import { isAscii } from 'node:buffer';
import { ExportReadError } from './exportReadError';
import { jsonErrorPosition } from './jsonErrorPosition';

/** One top-level element of the conversations array, as raw bytes. */
export interface ScannedElement {
  /** Absolute byte offset of the element's first byte in its file (a BOM counts). */
  offset: number;
  /** The element's bytes in one buffer (joined from `parts` on first use). */
  readonly bytes: Buffer;
  /**
   * The same bytes as they lie in the input chunks (views, not copies): a caller that copies
   * them anyway (convert's batches) copies once instead of joining first.
   */
  readonly parts: readonly Buffer[];
  /** Length of the element in bytes. */
  readonly length: number;
}

function scannedElement(offset: number, parts: Buffer[], length: number): ScannedElement {
  let joined: Buffer | undefined;
  return {
    offset,
    parts,
    length,
    get bytes() {
      return (joined ??= parts.length === 1 ? parts[0] : Buffer.concat(parts, length));
    },
  };
}

export interface ScannerOptions {
  /** One element larger than this is refused rather than buffered (default 512 MiB, V8's string ceiling). */
  maxElementBytes?: number;
}

export const DEFAULT_MAX_ELEMENT_BYTES = 512 * 1024 * 1024;

// Where the scanner is, outside the element it may be copying. Numbers, not a const enum,
// so that per-file transpilers (tsx, vitest) need no cross-file knowledge.
const START = 0; // before the top-level `[` or `{` (BOM and whitespace allowed)
const ARRAY_FIRST = 1; // after `[`: an element or `]`
const ARRAY_AFTER = 2; // after an element: `,` or `]`
const ARRAY_NEXT = 3; // after `,`: an element
const OBJECT_FIRST = 4; // after `{`: a key or `}`
const OBJECT_KEY = 5; // inside a top-level key string
const OBJECT_COLON = 6; // after a key: `:`
const OBJECT_VALUE = 7; // after `:`: a value
const OBJECT_AFTER = 8; // after a value: `,` or `}`
const OBJECT_NEXT = 9; // after `,`: a key
const IN_VALUE = 10; // inside an element (copied) or a skipped value of the wrapping object
const DONE = 11; // after the top-level value: whitespace only

const KIND_NESTED = 0; // object, array or string: ends by bracket depth / closing quote
const KIND_PRIMITIVE = 1; // number, true, false, null: ends at a delimiter

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const BOM = [0xef, 0xbb, 0xbf];

const CONVERSATIONS_KEY = 'conversations';

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isPrimitiveStart(c: number): boolean {
  return c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e; // - 0-9 t f n
}

function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * Incremental boundary scanner for a conversations file: Buffer chunks in, complete top-level
 * array elements out, without parsing them. Accepts `[...]` or `{"conversations": [...], ...}`
 * (other keys skipped), a UTF-8 BOM and whitespace. Only the element being copied is held, so
 * memory follows the largest conversation, not the file.
 *
 * Why not a JSON tokenizer: the elements still need JSON.parse, and finding their boundaries only
 * needs bracket depth outside strings; inside strings (most of the bytes) we jump between `"`
 * and `\` with Buffer.indexOf instead of visiting every byte.
 *
 * Structure outside elements is validated here; the inside of each element is validated by
 * JSON.parse (see scanConversationArray).
 */
export class ConversationArrayScanner {
  private mode = START;
  /** Absolute offset of the current chunk's first byte. */
  private base = 0;
  private bomMatched = 0;
  private wrapped = false;
  private foundArray = false;

  // Top-level key of the wrapping object being read (keys are short: byte by byte).
  private keyBytes: number[] = [];
  private keyEscape = false;
  private key = '';

  // The value being scanned.
  private kind = KIND_NESTED;
  private capture = false;
  private returnMode = ARRAY_AFTER;
  private depth = 0;
  private inString = false;
  private escapeNext = false;
  private valueStart = 0;
  private pieceStart = 0;
  private pieces: Buffer[] = [];
  private piecesBytes = 0;

  // Next `"` / `\` at or after the scan position in the current chunk (-1: search again).
  private nextQuote = -1;
  private nextBackslash = -1;

  private readonly maxElementBytes: number;

  constructor(
    readonly fileName: string,
    options: ScannerOptions = {},
  ) {
    this.maxElementBytes = options.maxElementBytes ?? DEFAULT_MAX_ELEMENT_BYTES;
  }

  /** Bytes consumed so far. */
  get bytesScanned(): number {
    return this.base;
  }

  /**
   * Scans one chunk, appending completed elements to `found`. Throws ExportReadError on
   * malformed structure; elements completed before the fault are already in `found`.
   */
  push(chunk: Buffer, found: ScannedElement[]): void {
    const n = chunk.length;
    this.nextQuote = -1;
    this.nextBackslash = -1;
    let i = 0;
    while (i < n) {
      if (this.mode === IN_VALUE) {
        i = this.scanValue(chunk, i, found);
        continue;
      }
      const c = chunk[i];
      switch (this.mode) {
        case START:
          if (this.base + i === this.bomMatched && this.bomMatched < 3 && c === BOM[this.bomMatched]) {
            this.bomMatched++;
          } else if (c === OPEN_BRACKET) {
            this.mode = ARRAY_FIRST;
          } else if (c === OPEN_BRACE) {
            this.mode = OBJECT_FIRST;
            this.wrapped = true;
          } else if (!isWhitespace(c)) {
            throw this.malformed(i, `expected "[" or "{" but found ${describeByte(c)}`);
          }
          i++;
          break;
        case ARRAY_FIRST:
        case ARRAY_NEXT:
          if (c === CLOSE_BRACKET && this.mode === ARRAY_FIRST) {
            this.closeArray();
            i++;
          } else if (!isWhitespace(c)) {
            i = this.beginValue(chunk, i, true, ARRAY_AFTER);
          } else {
            i++;
          }
          break;
        case ARRAY_AFTER:
          if (c === COMMA) this.mode = ARRAY_NEXT;
          else if (c === CLOSE_BRACKET) this.closeArray();
          else if (!isWhitespace(c)) throw this.malformed(i, `expected "," or "]" after an element but found ${describeByte(c)}`);
          i++;
          break;
        case OBJECT_FIRST:
        case OBJECT_NEXT:
          if (c === QUOTE) {
            this.mode = OBJECT_KEY;
            this.keyBytes = [];
            this.keyEscape = false;
          } else if (c === CLOSE_BRACE && this.mode === OBJECT_FIRST) {
            this.closeObject(i);
          } else if (!isWhitespace(c)) {
            throw this.malformed(i, `expected a key but found ${describeByte(c)}`);
          }
          i++;
          break;
        case OBJECT_KEY:
          if (this.keyEscape) {
            this.keyEscape = false;
            this.keyBytes.push(c);
          } else if (c === BACKSLASH) {
            this.keyEscape = true;
          } else if (c === QUOTE) {
            this.key = Buffer.from(this.keyBytes).toString('utf8');
            this.mode = OBJECT_COLON;
          } else {
            this.keyBytes.push(c);
          }
          i++;
          break;
        case OBJECT_COLON:
          if (c === COLON) this.mode = OBJECT_VALUE;
          else if (!isWhitespace(c)) throw this.malformed(i, `expected ":" after a key but found ${describeByte(c)}`);
          i++;
          break;
        case OBJECT_VALUE:
          if (isWhitespace(c)) {
            i++;
          } else if (this.key === CONVERSATIONS_KEY) {
            if (c !== OPEN_BRACKET) throw this.malformed(i, `"conversations" is not an array (found ${describeByte(c)})`);
            this.foundArray = true;
            this.mode = ARRAY_FIRST;
            i++;
          } else {
            i = this.beginValue(chunk, i, false, OBJECT_AFTER);
          }
          break;
        case OBJECT_AFTER:
          if (c === COMMA) this.mode = OBJECT_NEXT;
          else if (c === CLOSE_BRACE) this.closeObject(i);
          else if (!isWhitespace(c)) throw this.malformed(i, `expected "," or "}" but found ${describeByte(c)}`);
          i++;
          break;
        case DONE:
          if (!isWhitespace(c)) throw this.malformed(i, `unexpected ${describeByte(c)} after the end of the data`);
          i++;
          break;
      }
    }
    if (this.mode === IN_VALUE && this.capture && this.pieceStart < n) {
      const piece = chunk.subarray(this.pieceStart);
      this.pieces.push(piece);
      this.piecesBytes += piece.length;
      if (this.piecesBytes > this.maxElementBytes) {
        throw new ExportReadError(
          'element-too-large',
          `${this.fileName}: the conversation at byte ${this.valueStart} is larger than ${this.maxElementBytes} bytes`,
        );
      }
    }
    this.pieceStart = 0;
    this.base += n;
  }

  /** Call after the last chunk: throws if the data stopped before the top-level value closed. */
  end(): void {
    if (this.mode === DONE) return;
    const at = `at byte ${this.base}`;
    let where: string;
    if (this.mode === START) {
      where = this.base === this.bomMatched ? 'is empty' : `ended ${at} before any JSON`;
    } else if (this.mode === IN_VALUE && this.capture) {
      where = `ended ${at} inside the conversation starting at byte ${this.valueStart} (the file is truncated)`;
    } else if (this.mode === IN_VALUE) {
      where = `ended ${at} inside the value starting at byte ${this.valueStart} (the file is truncated)`;
    } else if (this.mode <= ARRAY_NEXT) {
      where = `ended ${at} inside the conversations array (the file is truncated)`;
    } else {
      where = `ended ${at} inside the top-level object (the file is truncated)`;
    }
    throw new ExportReadError('truncated-json', `${this.fileName}: ${where}`);
  }

  private closeArray(): void {
    this.mode = this.wrapped ? OBJECT_AFTER : DONE;
  }

  private closeObject(i: number): void {
    if (!this.foundArray) {
      throw new ExportReadError('no-conversations', `${this.fileName}: the top-level object has no "conversations" array`);
    }
    this.mode = DONE;
  }

  private beginValue(chunk: Buffer, i: number, capture: boolean, returnMode: number): number {
    const c = chunk[i];
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.kind = KIND_NESTED;
      this.depth = 1;
      this.inString = false;
    } else if (c === QUOTE) {
      this.kind = KIND_NESTED;
      this.depth = 0;
      this.inString = true;
    } else if (isPrimitiveStart(c)) {
      this.kind = KIND_PRIMITIVE;
    } else {
      throw this.malformed(i, `unexpected ${describeByte(c)} where a value should start`);
    }
    this.mode = IN_VALUE;
    this.capture = capture;
    this.returnMode = returnMode;
    this.escapeNext = false;
    this.valueStart = this.base + i;
    this.pieceStart = i;
    this.pieces = [];
    this.piecesBytes = 0;
    return i + 1;
  }

  /** The hot loop: advances through the current value; returns where scanning stopped. */
  private scanValue(buf: Buffer, i: number, found: ScannedElement[]): number {
    const n = buf.length;
    if (this.kind === KIND_PRIMITIVE) {
      for (; i < n; i++) {
        const c = buf[i];
        if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || isWhitespace(c)) {
          this.finishValue(buf, i, found);
          return i;
        }
      }
      return n;
    }
    let depth = this.depth;
    let inString = this.inString;
    let q = this.nextQuote;
    let b = this.nextBackslash;
    if (this.escapeNext) {
      // the escaped character is the first byte of this chunk
      this.escapeNext = false;
      i++;
    }
    while (i < n) {
      if (inString) {
        if (q < i) {
          q = buf.indexOf(QUOTE, i);
          if (q === -1) q = n;
        }
        if (b < i) {
          b = buf.indexOf(BACKSLASH, i);
          if (b === -1) b = n;
        }
        if (b < q) {
          if (b + 1 >= n) {
            this.escapeNext = true;
            i = n;
            break;
          }
          i = b + 2; // skip the escaped character, whatever it is (`\"`, `\\`, `\u…`)
          continue;
        }
        if (q === n) {
          i = n;
          break;
        }
        i = q + 1;
        inString = false;
        if (depth === 0) {
          this.nextQuote = q;
          this.nextBackslash = b;
          this.finishValue(buf, i, found);
          return i;
        }
        continue;
      }
      const c = buf[i++];
      if (c === QUOTE) {
        inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
        this.nextQuote = q;
        this.nextBackslash = b;
        this.finishValue(buf, i, found);
        return i;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.nextQuote = q;
    this.nextBackslash = b;
    return n;
  }

  private finishValue(buf: Buffer, end: number, found: ScannedElement[]): void {
    this.mode = this.returnMode;
    if (!this.capture) return;
    const tail = buf.subarray(this.pieceStart, end);
    const parts = this.pieces;
    parts.push(tail);
    const length = this.piecesBytes + tail.length;
    this.pieces = [];
    this.piecesBytes = 0;
    if (length > this.maxElementBytes) {
      throw new ExportReadError(
        'element-too-large',
        `${this.fileName}: the conversation at byte ${this.valueStart} is larger than ${this.maxElementBytes} bytes`,
      );
    }
    found.push(scannedElement(this.valueStart, parts, length));
  }

  private malformed(i: number, reason: string): ExportReadError {
    return new ExportReadError('malformed-json', `${this.fileName}: malformed JSON at byte ${this.base + i} (${reason})`);
  }
}

/** A parsed element with where it came from. */
export interface ScannedConversation {
  offset: number;
  bytes: number;
  raw: unknown;
}

/**
 * Scans a conversations file into its elements' bytes, unparsed (for callers that parse
 * elsewhere, e.g. on worker threads). A fault throws after every element before it has been
 * yielded, so a consumer keeps what was good.
 */
export async function* scanConversationElements(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  options: ScannerOptions = {},
): AsyncGenerator<ScannedElement> {
  const scanner = new ConversationArrayScanner(fileName, options);
  const found: ScannedElement[] = [];
  for await (const chunk of chunks) {
    let fault: unknown;
    try {
      scanner.push(chunk, found);
    } catch (error) {
      fault = error;
    }
    yield* found;
    found.length = 0;
    if (fault !== undefined) throw fault;
  }
  scanner.end();
}

/**
 * Scans a conversations file and JSON.parses each element as soon as it is complete. A fault
 * throws after every element before it has been yielded, so a consumer keeps what was good.
 */
export async function* scanConversationArray(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  options: ScannerOptions = {},
): AsyncGenerator<ScannedConversation> {
  for await (const element of scanConversationElements(chunks, fileName, options)) {
    yield { offset: element.offset, bytes: element.bytes.length, raw: parseElement(element, fileName) };
  }
}

/** JSON.parse one element; a syntax error names the file and the absolute byte offset. */
export function parseElement(element: Pick<ScannedElement, 'offset' | 'bytes'>, fileName: string): unknown {
  // Exports written with ASCII escapes (`\u00e9`) are all ASCII: decoded as Latin-1 they give the
  // same string ~5× faster than the UTF-8 decoder, and as one byte per character.
  const text = isAscii(element.bytes) ? element.bytes.toString('latin1') : element.bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes the element back ("…" is not valid JSON): drop that, it can be megabytes.
    const reason = (error instanceof Error ? error.message : String(error))
      .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/\s+/g, ' ')
      .slice(0, 120);
    const position = jsonErrorPosition(text);
    // A UTF-16 index into the element; the message wants bytes in the file.
    const offset = element.offset + (position < 0 ? 0 : Buffer.byteLength(text.slice(0, position)));
    throw new ExportReadError('malformed-json', `${fileName}: malformed JSON at byte ${offset} (${reason})`, {
      cause: error,
    });
  }
}
