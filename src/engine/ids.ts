/**
 * Sortable ids: ULIDs (48-bit millisecond time + 80 bits of randomness, Crockford base32),
 * monotonic within one millisecond so ids made in a burst still sort in creation order.
 *
 * @module
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/**
 * Make a ULID generator bound to a clock.
 *
 * @example
 * ```ts
 * const nextId = ulidFactory(() => Date.now());
 * nextId(); // '01JD3S5X9Q2Z7V4C8K1M6N0P3R'
 * ```
 */
export function ulidFactory(now: () => number = () => Date.now()): () => string {
  let lastTime = -1;
  let lastRandom: number[] = [];
  return () => {
    const time = Math.max(0, Math.floor(now()));
    let random: number[];
    if (time <= lastTime) {
      // Same (or earlier) millisecond: increment the previous randomness so ids stay ordered.
      random = lastRandom.slice();
      for (let i = random.length - 1; i >= 0; i--) {
        const v = (random[i] as number) + 1;
        if (v < 32) {
          random[i] = v;
          break;
        }
        random[i] = 0;
      }
    } else {
      const bytes = randomBytes(16);
      random = Array.from(bytes, (b) => b & 31);
      lastTime = time;
    }
    lastRandom = random;
    let t = lastTime;
    let timePart = '';
    for (let i = 0; i < 10; i++) {
      timePart = ALPHABET[t % 32]! + timePart;
      t = Math.floor(t / 32);
    }
    return timePart + random.map((v) => ALPHABET[v]!).join('');
  };
}
