/**
 * Seeded pseudo-random numbers for the particle simulations.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom
 * number generators", 2018/2021), 128 bits of state in four uint32 words,
 * period 2¹²⁸ − 1, written with `Math.imul` and `>>> 0` so every operation is
 * exact 32-bit integer arithmetic (bitwise identical on every JS engine).
 *
 * Streams: one independent stream per particle *block*, never per worker, so a
 * seeded run gives the same bits for any number of workers. The state of the
 * stream (seed, block) is filled by splitmix32 (a 32-bit variant of Steele,
 * Lea & Flood's SplitMix, constants from Vigna's splitmix64 finaliser adapted
 * to 32 bits) run on a key that mixes the seed and the block index; streams
 * with different keys start at unrelated states of the 2¹²⁸ − 1 cycle.
 *
 * Uniforms: 53-bit doubles in [0, 1) from two outputs. Normals: Marsaglia's
 * polar method (Marsaglia & Bray 1964) on (u, v) = int32 outputs · 2⁻³¹ (32-bit
 * resolution: the smallest accepted u² + v² is 2⁻⁶², so |z| reaches ≈ 9.3),
 * both values of a pair used in order.
 */

/** One splitmix32 step: returns [next state, output]. */
function splitmix32(state: number): [number, number] {
  const s = (state + 0x9e3779b9) >>> 0;
  let z = s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return [s, z];
}

/**
 * xoshiro128** with a cached second normal deviate. The state lives in an
 * Int32Array (signed 32-bit words; the bit patterns are those of the uint32
 * reference) and the spare normal in a Float64Array, so the hot path stores
 * no boxed numbers.
 */
export class Xoshiro128 {
  private readonly s = new Int32Array(4);
  private readonly spare = new Float64Array(1);
  private readonly flag = new Int32Array(1);

  /** State from four 32-bit words (not all zero). */
  constructor(a: number, b: number, c: number, d: number) {
    const s = this.s;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[3] = 1;
  }

  /** Next output as a signed int32 (the bits of xoshiro128**: rotl(s1·5, 7)·9, then the state update). */
  private next(): number {
    const s = this.s;
    const s1 = s[1];
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    const s3 = s[3];
    s[3] = (s3 << 11) | (s3 >>> 21);
    return r;
  }

  /** Next uint32. */
  nextU32(): number {
    return this.next() >>> 0;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.next() >>> 5; // 27 bits
    const lo = this.next() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * 1.1102230246251565e-16;
  }

  /** Standard normal N(0, 1) (polar method; the pair's second value is cached). */
  normal(): number {
    if (this.flag[0] === 1) {
      this.flag[0] = 0;
      return this.spare[0];
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = this.next() * 4.656612873077393e-10; // int32 · 2⁻³¹ ∈ [−1, 1), 32-bit resolution
      v = this.next() * 4.656612873077393e-10;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare[0] = v * f;
    this.flag[0] = 1;
    return u * f;
  }
}

/** Anything that hands out standard normals (a stream, or the coupled replay below). */
export interface NormalSource {
  normal(): number;
}

/**
 * Brownian coupling of a step of 2·dt to two steps of dt (for Richardson extrapolation in the step size):
 * `record()`, then two fine steps draw their normals from `source` (kept in order), `replay()`, then the
 * coarse step's k-th normal is (z_k + z_{k+m})/√2 with m the normals of one fine step — the coarse
 * Brownian increment is exactly the sum of the two fine ones (√(2dt)·(z+z′)/√2 = √dt·z + √dt·z′).
 * Needs each step to draw the same number of normals (true of every Euler–Maruyama step here).
 */
export class PairedNormals implements NormalSource {
  private buf = new Float64Array(16);
  private count = 0;
  private half = 0;
  private pos = 0;
  private replaying = false;
  constructor(private readonly source: NormalSource) {}

  record(): void {
    this.count = 0;
    this.replaying = false;
  }

  replay(): void {
    if (this.count % 2 !== 0) throw new Error(`internal: PairedNormals recorded ${this.count} normals, not two equal steps`);
    this.half = this.count / 2;
    this.pos = 0;
    this.replaying = true;
  }

  normal(): number {
    if (this.replaying) {
      if (this.pos >= this.half) throw new Error('internal: the coarse step drew more normals than a fine step');
      const z = (this.buf[this.pos] + this.buf[this.pos + this.half]) * Math.SQRT1_2;
      this.pos++;
      return z;
    }
    if (this.count === this.buf.length) {
      const b = new Float64Array(2 * this.buf.length);
      b.set(this.buf);
      this.buf = b;
    }
    const z = this.source.normal();
    this.buf[this.count++] = z;
    return z;
  }
}

/**
 * The stream of particle block `block` for run seed `seed` (both non-negative
 * integers below 2³²; the seed may be any safe integer, its high bits are
 * folded in). Deterministic; independent of the worker that runs the block.
 */
export function blockStream(seed: number, block: number): Xoshiro128 {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`blockStream: seed must be a non-negative safe integer, got ${seed}`);
  if (!Number.isInteger(block) || block < 0 || block >= 2 ** 32) throw new RangeError(`blockStream: block must be an integer in [0, 2^32), got ${block}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  // Key: seed words and the block index through splitmix, so (seed, block) pairs are well separated.
  let [st, k1] = splitmix32(lo ^ 0x6a09e667);
  [st, k1] = splitmix32((st ^ hi ^ k1) >>> 0);
  let state = (k1 ^ Math.imul(block + 1, 0x9e3779b1)) >>> 0;
  const w: number[] = [];
  for (let i = 0; i < 4; i++) {
    let out: number;
    [state, out] = splitmix32(state);
    w.push(out);
  }
  const g = new Xoshiro128(w[0], w[1], w[2], w[3]);
  // Discard a few outputs so weakly different keys decorrelate fully.
  for (let i = 0; i < 8; i++) g.nextU32();
  return g;
}
