/**
 * A small, fast, seeded PRNG (mulberry32). Same seed → same sequence on every
 * machine and Node version, which is what makes generated exports byte-identical.
 */
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Lowercase hex string of `length` characters. */
  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 2) out += HEX_BYTES[this.nextUint32() & 0xff];
    return length % 2 === 0 ? out : out.slice(0, length);
  }

  /** RFC 4122 version-4-shaped UUID, like ChatGPT's message and conversation ids. */
  uuid(): string {
    // Table lookups instead of toString(16)/padStart: ids are a hot path.
    const a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    const d = this.nextUint32();
    return (
      HEX_BYTES[a >>> 24] + HEX_BYTES[(a >>> 16) & 0xff] + HEX_BYTES[(a >>> 8) & 0xff] + HEX_BYTES[a & 0xff] + '-' +
      HEX_BYTES[b >>> 24] + HEX_BYTES[(b >>> 16) & 0xff] + '-4' + HEX_BYTES[(b >>> 8) & 0xff].charAt(1) + HEX_BYTES[b & 0xff] + '-' +
      HEX_BYTES[0x80 | ((c >>> 24) & 0x3f)] + HEX_BYTES[(c >>> 16) & 0xff] + '-' +
      HEX_BYTES[c & 0xff] + HEX_BYTES[(c >>> 8) & 0xff] + HEX_BYTES[d >>> 24] + HEX_BYTES[(d >>> 16) & 0xff] + HEX_BYTES[(d >>> 8) & 0xff] + HEX_BYTES[d & 0xff]
    );
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * Derives an independent seed for one conversation from the export seed and the
 * conversation's index, so conversation N is the same whatever came before it.
 */
export function deriveSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
