/**
 * Plotly's binary array format: `{ dtype: 'f4', bdata: <base64 of the raw
 * little-endian bytes>, shape: 'n0,n1' }`. Plotly decodes it into typed
 * arrays in the browser, so a frame costs 4 bytes per value (+ 1/3 for
 * base64) instead of ~10–20 bytes as JSON text.
 */
import { InputError } from '../util/errors.js';

export interface B64Array {
  dtype: 'f4' | 'f8';
  bdata: string;
  /** Comma-separated sizes, slowest axis first (plotly's convention): 'ny,nx' for a heatmap's z. */
  shape: string;
}

/** Encode values as float32 (`f4`, default) or float64 (`f8`); `shape` defaults to the length. */
export function encodeB64(values: ArrayLike<number>, dtype: 'f4' | 'f8' = 'f4', shape?: number[]): B64Array {
  const n = values.length;
  if (shape !== undefined) {
    const prod = shape.reduce((a, b) => a * b, 1);
    if (prod !== n) throw new InputError('shape', `product ${prod} of shape [${shape.join(',')}] differs from the length ${n}; give a shape that matches`);
  }
  const arr = dtype === 'f4' ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) arr[i] = values[i];
  const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  if (!littleEndian()) byteSwap(bytes, arr.BYTES_PER_ELEMENT);
  return { dtype, bdata: Buffer.from(bytes).toString('base64'), shape: (shape ?? [n]).join(',') };
}

/** Decode an encoded array back to a Float32Array/Float64Array (flat). */
export function decodeB64(a: B64Array): Float32Array | Float64Array {
  const buf = Buffer.from(a.bdata, 'base64');
  const bytes = new Uint8Array(buf.length);
  bytes.set(buf);
  const size = a.dtype === 'f4' ? 4 : 8;
  if (bytes.length % size !== 0) throw new InputError('bdata', `${bytes.length} bytes is not a whole number of ${a.dtype} values`);
  if (!littleEndian()) byteSwap(bytes, size);
  return a.dtype === 'f4' ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
}

function littleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

function byteSwap(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}
