/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so generated volume is reproducible:
 * the same seed gives the same stream on every machine and Node version. Not cryptographic.
 */
export interface Prng {
  /** Next unsigned 32-bit integer. */
  uint32(): number;
  /** Uniform float in [0, 1) (32 bits of resolution). */
  float(): number;
  /** Uniform integer in [0, n), n ≤ 2^32. */
  int(n: number): number;
}

/** @param seed any finite number; its integer part (mod 2^32) is used, salted by `stream`. */
export function createPrng(seed: number, stream = 0): Prng {
  let s = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  const splitmix32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  const uint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) uint32();
  const float = (): number => uint32() / 4294967296;
  return { uint32, float, int: (n) => Math.floor(float() * n) };
}
