import { randomUUID } from 'node:crypto';

/** Randomness the emulator uses; seeded when the caller asked for reproducible runs. */
export interface RandomSource {
  /** A number in [0, 1). */
  next(): number;
  /** A request id shaped like fal's (a v4 UUID). */
  uuid(): string;
  /** An integer in [0, 2^32). */
  uint32(): number;
}

export function createRandomSource(seed: number | undefined): RandomSource {
  if (seed === undefined) {
    return {
      next: () => Math.random(),
      uuid: () => randomUUID(),
      uint32: () => Math.floor(Math.random() * 2 ** 32),
    };
  }
  const nextUint32 = mulberry32(seed);
  return {
    next: () => nextUint32() / 2 ** 32,
    uint32: nextUint32,
    uuid: () => uuidFromWords([nextUint32(), nextUint32(), nextUint32(), nextUint32()]),
  };
}

/** A small, well-known 32-bit PRNG: enough for test reproducibility, not for secrets. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function uuidFromWords(words: number[]): string {
  const hex = words.map((word) => word.toString(16).padStart(8, '0')).join('');
  // Set the version (4) and variant (10xx) nibbles so it parses as a v4 UUID.
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
