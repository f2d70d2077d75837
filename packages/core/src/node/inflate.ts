// zlib-wrapped DEFLATE (RFC 1950/1951) decoded piece by piece into one fixed 64 KB window.
//
// Why not node:zlib: its streams hand out every 16 KB of output in a new Buffer, and V8
// collects those only when its external memory grows by tens of megabytes; inflating a 24 MP
// PNG (72 MB of rows) left 13-21 MB of them uncollected at the peak (measured with the photo
// case of `pnpm bench`), more than the whole rest of the fit. This decoder allocates its
// tables and window once and hands out views of the window, which the caller reads at once.
//
// The stream's Adler-32 checksum is checked at its end, as node:zlib does: a damaged image is
// an error, never other pixels.

const WINDOW = 1 << 16; // a power of two above DEFLATE's 32 KB history plus one 258-byte match
const MASK = WINDOW - 1;
/** The most input one step can read: a dynamic block's header is under 600 bytes, a symbol under 8. */
const STEP_INPUT = 640;

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code as a lookup table: indexed by the next `bits` input bits, each entry is symbol << 4 | code length (0: no such code). */
interface HuffmanTable {
  entries: Int32Array;
  bits: number;
}

function huffmanTable(lengths: ArrayLike<number>, count: number): HuffmanTable {
  let bits = 0;
  const perLength = new Int32Array(16);
  for (let symbol = 0; symbol < count; symbol++) {
    const length = lengths[symbol]!;
    perLength[length]! += 1;
    if (length > bits) bits = length;
  }
  perLength[0] = 0;
  const next = new Int32Array(16);
  for (let length = 1, code = 0; length < 16; length++) {
    code = (code + perLength[length - 1]!) << 1;
    next[length] = code;
  }
  const entries = new Int32Array(1 << Math.max(bits, 1));
  for (let symbol = 0; symbol < count; symbol++) {
    const length = lengths[symbol]!;
    if (length === 0) continue;
    const code = next[length]!;
    next[length] = code + 1;
    let reversed = 0;
    for (let i = 0; i < length; i++) reversed |= ((code >> i) & 1) << (length - 1 - i);
    if (reversed >= entries.length) throw new Error('the image data is damaged (an over-subscribed Huffman code)');
    for (let at = reversed; at < entries.length; at += 1 << length) entries[at] = (symbol << 4) | length;
  }
  return { entries, bits: Math.max(bits, 1) };
}

const FIXED_LITERALS = huffmanTable(Array.from({ length: 288 }, (_, symbol) => (symbol < 144 ? 8 : symbol < 256 ? 9 : symbol < 280 ? 7 : 8)), 288);
const FIXED_DISTANCES = huffmanTable(new Array<number>(30).fill(5), 30);

export class Inflater {
  private readonly input = new Uint8Array(64 * 1024 + STEP_INPUT + 8);
  private inputEnd = 0;
  private at = 0;
  private bitBuffer = 0;
  private bitCount = 0;
  private readonly window = new Uint8Array(WINDOW);
  /** Bytes written so far, and how many of them have been handed out. */
  private written = 0;
  private handedOut = 0;
  private state: 'zlib header' | 'block header' | 'stored' | 'huffman' | 'done' = 'zlib header';
  private lastBlock = false;
  /** Adler-32 of what was handed out, and the stream's own. */
  private sumA = 1;
  private sumB = 0;
  private expectedChecksum = -1;
  private storedLeft = 0;
  private literals = FIXED_LITERALS;
  private distances = FIXED_DISTANCES;
  private readonly lengths = new Uint8Array(320);

  /** `output` is called with views of the window: read them before returning, they are overwritten. */
  constructor(private readonly output: (bytes: Uint8Array) => void) {}

  get done(): boolean {
    return this.state === 'done';
  }

  /** Decodes what it can of `bytes` (any length), keeping a short unread tail for the next piece. */
  push(bytes: Uint8Array): void {
    for (let taken = 0; taken < bytes.length && this.state !== 'done'; ) {
      this.input.copyWithin(0, this.at, this.inputEnd);
      this.inputEnd -= this.at;
      this.at = 0;
      const take = Math.min(bytes.length - taken, this.input.length - 8 - this.inputEnd);
      this.input.set(bytes.subarray(taken, taken + take), this.inputEnd);
      this.inputEnd += take;
      taken += take;
      this.decode(false);
    }
  }

  /** Decodes the rest; throws if the stream has not ended. */
  end(): void {
    // Zero bytes past the end let a short final code be looked up; reading them is an error.
    const realEnd = this.inputEnd;
    if (this.state === 'zlib header' && realEnd - this.at < 2) throw new Error('unexpected end of file');
    this.input.fill(0, realEnd, realEnd + 8);
    this.inputEnd += 8;
    this.decode(true);
    // Bytes in the bit buffer were read ahead but not used.
    if (this.state !== 'done' || this.at - (this.bitCount >> 3) > realEnd) throw new Error('unexpected end of file');
    this.handOut();
    if (((this.sumB << 16) | this.sumA) >>> 0 !== this.expectedChecksum) throw new Error('the image data is damaged (its checksum does not match)');
  }

  private need(count: number): void {
    while (this.bitCount < count) {
      if (this.at >= this.inputEnd) throw new Error('unexpected end of file');
      this.bitBuffer |= this.input[this.at++]! << this.bitCount;
      this.bitCount += 8;
    }
  }

  private take(count: number): number {
    if (count === 0) return 0;
    this.need(count);
    const value = this.bitBuffer & ((1 << count) - 1);
    this.bitBuffer >>>= count;
    this.bitCount -= count;
    return value;
  }

  private symbol(table: HuffmanTable): number {
    this.need(table.bits);
    const entry = table.entries[this.bitBuffer & ((1 << table.bits) - 1)]!;
    const length = entry & 15;
    if (length === 0) throw new Error('the image data is damaged (an invalid Huffman code)');
    this.bitBuffer >>>= length;
    this.bitCount -= length;
    return entry >> 4;
  }

  private decode(final: boolean): void {
    while (this.state !== 'done' && (final || this.inputEnd - this.at >= STEP_INPUT)) {
      if (this.state === 'zlib header') {
        const method = this.take(8);
        const flags = this.take(8);
        if ((method & 15) !== 8 || ((method << 8) | flags) % 31 !== 0 || flags & 32) throw new Error('the image data is not a zlib stream');
        this.state = 'block header';
      } else if (this.state === 'block header') {
        if (this.lastBlock) {
          // The checksum follows the last block, big-endian, at a byte boundary.
          this.take(this.bitCount & 7);
          this.expectedChecksum = ((this.take(8) << 24) | (this.take(8) << 16) | (this.take(8) << 8) | this.take(8)) >>> 0;
          this.state = 'done';
          return;
        }
        this.blockHeader();
      } else if (this.state === 'stored') {
        this.stored();
      } else {
        this.huffman(final);
      }
    }
  }

  private blockHeader(): void {
    this.lastBlock = this.take(1) === 1;
    const type = this.take(2);
    if (type === 0) {
      this.take(this.bitCount & 7); // a stored block starts at a byte boundary
      const length = this.take(16);
      if ((length ^ 0xffff) !== this.take(16)) throw new Error('the image data is damaged (a stored block length)');
      this.storedLeft = length;
      this.state = 'stored';
    } else if (type === 1) {
      this.literals = FIXED_LITERALS;
      this.distances = FIXED_DISTANCES;
      this.state = 'huffman';
    } else if (type === 2) {
      this.dynamicTables();
      this.state = 'huffman';
    } else {
      throw new Error('the image data is damaged (block type 3)');
    }
  }

  private dynamicTables(): void {
    const literalCount = this.take(5) + 257;
    const distanceCount = this.take(5) + 1;
    const codeLengthCount = this.take(4) + 4;
    const codeLengths = new Uint8Array(19);
    for (let i = 0; i < codeLengthCount; i++) codeLengths[CODE_LENGTH_ORDER[i]!] = this.take(3);
    const codeLengthTable = huffmanTable(codeLengths, 19);
    const lengths = this.lengths;
    for (let i = 0; i < literalCount + distanceCount; ) {
      const symbol = this.symbol(codeLengthTable);
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      const [repeat, value] = symbol === 16 ? [3 + this.take(2), i > 0 ? lengths[i - 1]! : -1] : symbol === 17 ? [3 + this.take(3), 0] : [11 + this.take(7), 0];
      if (value < 0 || i + repeat > literalCount + distanceCount) throw new Error('the image data is damaged (code lengths)');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    this.literals = huffmanTable(lengths.subarray(0, literalCount), literalCount);
    this.distances = huffmanTable(lengths.subarray(literalCount, literalCount + distanceCount), distanceCount);
  }

  private stored(): void {
    // Whole bytes already read into the bit buffer come first.
    while (this.bitCount >= 8 && this.storedLeft > 0) {
      this.put(this.take(8));
      this.storedLeft -= 1;
    }
    const count = Math.min(this.storedLeft, this.inputEnd - this.at);
    if (count === 0 && this.storedLeft > 0) throw new Error('unexpected end of file');
    for (let i = 0; i < count; i++) this.put(this.input[this.at + i]!);
    this.at += count;
    this.storedLeft -= count;
    if (this.storedLeft === 0) this.state = 'block header';
  }

  /**
   * Symbols until the block ends or the input runs short. The hot loop of a PNG's decoding: the
   * bit reader's state is kept in locals while it runs, and the bit buffer is topped up to at
   * least 25 bits (of its 32) before a code is looked up, at most 15 bits plus 5 or 13 extra.
   */
  private huffman(final: boolean): void {
    const { window, input, inputEnd } = this;
    const literals = this.literals.entries;
    const literalMask = (1 << this.literals.bits) - 1;
    const distances = this.distances.entries;
    const distanceMask = (1 << this.distances.bits) - 1;
    // A symbol reads at most 6 bytes and the top-ups at most 4 ahead of that.
    const stop = final ? inputEnd : inputEnd - 12;
    let { bitBuffer, bitCount, at, written } = this;
    try {
      while (final || at < stop) {
        while (bitCount <= 24) {
          if (at >= inputEnd) throw new Error('unexpected end of file');
          bitBuffer |= input[at++]! << bitCount;
          bitCount += 8;
        }
        const entry = literals[bitBuffer & literalMask]!;
        const codeLength = entry & 15;
        if (codeLength === 0) throw new Error('the image data is damaged (an invalid Huffman code)');
        bitBuffer >>>= codeLength;
        bitCount -= codeLength;
        const symbol = entry >> 4;
        if (symbol < 256) {
          window[written & MASK] = symbol;
          written += 1;
        } else if (symbol === 256) {
          this.state = 'block header';
          return;
        } else {
          const lengthCode = symbol - 257;
          if (lengthCode >= 29) throw new Error('the image data is damaged (a length code)');
          const lengthExtra = LENGTH_EXTRA[lengthCode]!;
          const length = LENGTH_BASE[lengthCode]! + (bitBuffer & ((1 << lengthExtra) - 1));
          bitBuffer >>>= lengthExtra;
          bitCount -= lengthExtra;
          while (bitCount <= 24) {
            if (at >= inputEnd) throw new Error('unexpected end of file');
            bitBuffer |= input[at++]! << bitCount;
            bitCount += 8;
          }
          const distanceEntry = distances[bitBuffer & distanceMask]!;
          const distanceLength = distanceEntry & 15;
          if (distanceLength === 0) throw new Error('the image data is damaged (an invalid Huffman code)');
          bitBuffer >>>= distanceLength;
          bitCount -= distanceLength;
          const distanceCode = distanceEntry >> 4;
          if (distanceCode >= 30) throw new Error('the image data is damaged (a distance code)');
          const distanceExtra = DISTANCE_EXTRA[distanceCode]!;
          while (bitCount < distanceExtra) {
            if (at >= inputEnd) throw new Error('unexpected end of file');
            bitBuffer |= input[at++]! << bitCount;
            bitCount += 8;
          }
          const distance = DISTANCE_BASE[distanceCode]! + (bitBuffer & ((1 << distanceExtra) - 1));
          bitBuffer >>>= distanceExtra;
          bitCount -= distanceExtra;
          if (distance > written) throw new Error('the image data is damaged (a distance before the start)');
          for (let from = written - distance, end = written + length; written < end; written++, from++) window[written & MASK] = window[from & MASK]!;
        }
        if (written - this.handedOut >= WINDOW / 2) {
          this.written = written;
          this.handOut();
        }
      }
    } finally {
      this.bitBuffer = bitBuffer;
      this.bitCount = bitCount;
      this.at = at;
      this.written = written;
    }
  }

  private put(byte: number): void {
    this.window[this.written & MASK] = byte;
    this.written += 1;
    if (this.written - this.handedOut >= WINDOW / 2) this.handOut();
  }

  private handOut(): void {
    while (this.handedOut < this.written) {
      const start = this.handedOut & MASK;
      const end = Math.min(WINDOW, start + (this.written - this.handedOut));
      const bytes = this.window.subarray(start, end);
      this.addToChecksum(bytes);
      this.output(bytes);
      this.handedOut += end - start;
    }
  }

  /** Adler-32, taking the remainder every 5552 bytes (the most before the sums can overflow 2^32). */
  private addToChecksum(bytes: Uint8Array): void {
    let { sumA, sumB } = this;
    for (let at = 0; at < bytes.length; ) {
      const end = Math.min(bytes.length, at + 5552);
      for (; at < end; at++) {
        sumA += bytes[at]!;
        sumB += sumA;
      }
      sumA %= 65521;
      sumB %= 65521;
    }
    this.sumA = sumA;
    this.sumB = sumB;
  }
}
