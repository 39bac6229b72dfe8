/**
 * Large Float64Arrays kept for reuse within a thread. On this machine class (a virtual machine) the first
 * touch of fresh memory costs ≈ 4 ms per MB in page faults — a 67 MB band filled fresh 240–370 ms, the same
 * band refilled 3.5 ms — and two runs faulting at once slow each other down. A banded factorisation takes its
 * band from here and gives it back when its solver is disposed, so the next solver of that size (a new step
 * level, the next run of a verify lane) starts on memory already mapped.
 *
 * A buffer taken from the pool holds stale values: the taker overwrites it before reading.
 */
const pool = new Map<number, Float64Array[]>();
let pooledBytes = 0;

/** Buffers smaller than this are left to the allocator. */
export const POOL_MIN_BYTES = 1024 ** 2;
/** The pool keeps at most this much; a buffer given beyond it is left to the garbage collector. */
export const POOL_MAX_BYTES = 768 * 1024 ** 2;

/** A Float64Array of exactly `length` entries, from the pool when one is there (contents unspecified). */
export function takeFloat64(length: number): Float64Array {
  const list = pool.get(length);
  const a = list?.pop();
  if (a) {
    pooledBytes -= a.byteLength;
    return a;
  }
  return new Float64Array(length);
}

/** Gives a buffer back; the caller must not use it afterwards. */
export function giveFloat64(a: Float64Array): void {
  if (a.byteLength < POOL_MIN_BYTES || a.byteOffset !== 0 || a.length * 8 !== a.buffer.byteLength) return;
  if (pooledBytes + a.byteLength > POOL_MAX_BYTES) return;
  const list = pool.get(a.length);
  if (list) {
    if (list.includes(a)) return;
    list.push(a);
  } else pool.set(a.length, [a]);
  pooledBytes += a.byteLength;
}

/** Bytes held by the pool now. */
export function pooledFloat64Bytes(): number {
  return pooledBytes;
}
