/**
 * Making density frames small enough for a report: choosing frames in time,
 * block-averaging Cartesian boxes, resampling a curvilinear (tube) grid onto a
 * regular box, and thinning scattered 3D points. Pure functions on plain arrays.
 */
import { InputError } from '../util/errors.js';

/**
 * Indices of at most `max` frames out of `n`, evenly spread, always keeping the
 * first and the last: round(k (n−1)/(max−1)), k = 0..max−1 (duplicates removed).
 */
export function pickFrameIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  if (max <= 1) return [n - 1];
  const out: number[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    if (out.length === 0 || out[out.length - 1] !== i) out.push(i);
  }
  return out;
}

/** A reduction of one frame to the downsampled layout. */
export interface FrameReducer {
  /** Reduced cell counts per axis (x fastest). */
  shape: number[];
  /** Reduced coordinates per axis. */
  coords: Float64Array[];
  /** Reduce one full frame (length = product of the original shape) into `out` (length = product of `shape`). */
  reduce(frame: ArrayLike<number>, out: Float32Array): Float32Array;
}

/**
 * Block averages on a box with axes `coords` (x fastest): axis a is grouped in
 * blocks of f_a = ⌈n_a / maxSide⌉ consecutive cells; each reduced value is the
 * mean over its block (so mass per cell area is kept on a uniform box), and each
 * reduced coordinate the mean of the block's coordinates.
 */
export function blockAverager(coords: ArrayLike<number>[], maxSide: number): FrameReducer {
  const n = coords.map((c) => c.length);
  const f = n.map((na) => Math.max(1, Math.ceil(na / maxSide)));
  const m = n.map((na, a) => Math.ceil(na / f[a]));
  const outCoords = coords.map((c, a) => {
    const r = new Float64Array(m[a]);
    for (let k = 0; k < m[a]; k++) {
      let s = 0;
      let cnt = 0;
      for (let i = k * f[a]; i < Math.min(n[a], (k + 1) * f[a]); i++) {
        s += c[i];
        cnt++;
      }
      r[k] = s / cnt;
    }
    return r;
  });
  const total = n.reduce((p, q) => p * q, 1);
  const mTotal = m.reduce((p, q) => p * q, 1);
  // target[i] = reduced index of full cell i; count[j] = cells in reduced cell j
  const target = new Int32Array(total);
  const count = new Float64Array(mTotal);
  const d = n.length;
  const idx = new Array<number>(d).fill(0);
  for (let i = 0; i < total; i++) {
    let j = 0;
    let stride = 1;
    for (let a = 0; a < d; a++) {
      j += Math.floor(idx[a] / f[a]) * stride;
      stride *= m[a];
    }
    target[i] = j;
    count[j]++;
    for (let a = 0; a < d; a++) {
      if (++idx[a] < n[a]) break;
      idx[a] = 0;
    }
  }
  const acc = new Float64Array(mTotal);
  return {
    shape: m,
    coords: outCoords,
    reduce(frame, out) {
      if (frame.length !== total) throw new InputError('density.frames', `a frame has ${frame.length} values, expected ${total} (${n.join('×')})`);
      acc.fill(0);
      for (let i = 0; i < total; i++) acc[target[i]] += frame[i];
      for (let j = 0; j < mTotal; j++) out[j] = acc[j] / count[j];
      return out;
    },
  };
}

/**
 * Resampling of a density on a curvilinear 2D grid onto a regular box of square
 * pixels (at most `maxSide` per side). The cell centres, cell (i₀,i₁) at index
 * i₀ + n₀·i₁, form a quadrilateral mesh; each quad is split into two triangles
 * and each pixel centre inside a triangle takes the linear (barycentric)
 * interpolant of the three corner values. Pixels covered by no triangle are NaN
 * (drawn as empty). The pixel → (corners, weights) table is built once.
 */
export function mappedResampler(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  shape: [number, number],
  periodic: [boolean, boolean],
  maxSide: number,
): FrameReducer {
  const [n0, n1] = shape;
  const total = n0 * n1;
  if (x.length !== total || y.length !== total) throw new InputError('density.x', `expected ${total} cell centres (${n0}×${n1}), got x ${x.length}, y ${y.length}`);
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (let i = 0; i < total; i++) {
    xmin = Math.min(xmin, x[i]); xmax = Math.max(xmax, x[i]);
    ymin = Math.min(ymin, y[i]); ymax = Math.max(ymax, y[i]);
  }
  const span = Math.max(xmax - xmin, ymax - ymin) || 1;
  const h = span / maxSide;
  const nx = Math.max(1, Math.ceil((xmax - xmin) / h));
  const ny = Math.max(1, Math.ceil((ymax - ymin) / h));
  const px = new Float64Array(nx);
  const py = new Float64Array(ny);
  const x0 = (xmin + xmax) / 2 - (nx * h) / 2;
  const y0 = (ymin + ymax) / 2 - (ny * h) / 2;
  for (let i = 0; i < nx; i++) px[i] = x0 + (i + 0.5) * h;
  for (let j = 0; j < ny; j++) py[j] = y0 + (j + 0.5) * h;
  const npix = nx * ny;
  const corner = new Int32Array(3 * npix).fill(-1);
  const weight = new Float32Array(3 * npix);
  const tri = (a: number, b: number, c: number): void => {
    const ax = x[a], ay = y[a], bx = x[b], by = y[b], cx = x[c], cy = y[c];
    const det = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
    if (det === 0 || !Number.isFinite(det)) return;
    const i0 = Math.max(0, Math.floor((Math.min(ax, bx, cx) - x0) / h - 0.5));
    const i1 = Math.min(nx - 1, Math.ceil((Math.max(ax, bx, cx) - x0) / h - 0.5));
    const j0 = Math.max(0, Math.floor((Math.min(ay, by, cy) - y0) / h - 0.5));
    const j1 = Math.min(ny - 1, Math.ceil((Math.max(ay, by, cy) - y0) / h - 0.5));
    const eps = -1e-9;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const p = i + nx * j;
        if (corner[3 * p] >= 0) continue;
        const qx = px[i], qy = py[j];
        const wb = ((qx - ax) * (cy - ay) - (cx - ax) * (qy - ay)) / det;
        const wc = ((bx - ax) * (qy - ay) - (qx - ax) * (by - ay)) / det;
        const wa = 1 - wb - wc;
        if (wa < eps || wb < eps || wc < eps) continue;
        corner[3 * p] = a; corner[3 * p + 1] = b; corner[3 * p + 2] = c;
        weight[3 * p] = wa; weight[3 * p + 1] = wb; weight[3 * p + 2] = wc;
      }
    }
  };
  const q0 = periodic[0] ? n0 : n0 - 1;
  const q1 = periodic[1] ? n1 : n1 - 1;
  for (let i1 = 0; i1 < q1; i1++) {
    for (let i0 = 0; i0 < q0; i0++) {
      const a = i0 + n0 * i1;
      const b = ((i0 + 1) % n0) + n0 * i1;
      const c = ((i0 + 1) % n0) + n0 * ((i1 + 1) % n1);
      const d = i0 + n0 * ((i1 + 1) % n1);
      tri(a, b, c);
      tri(a, c, d);
    }
  }
  return {
    shape: [nx, ny],
    coords: [px, py],
    reduce(frame, out) {
      if (frame.length !== total) throw new InputError('density.frames', `a frame has ${frame.length} values, expected ${total} (${n0}×${n1})`);
      for (let p = 0; p < npix; p++) {
        const a = corner[3 * p];
        out[p] = a < 0 ? NaN : weight[3 * p] * frame[a] + weight[3 * p + 1] * frame[corner[3 * p + 1]] + weight[3 * p + 2] * frame[corner[3 * p + 2]];
      }
      return out;
    },
  };
}

/**
 * Indices of at most `max` points to draw out of a scattered set: those with the
 * largest peak value over all frames (the places the density ever visits),
 * returned in increasing order.
 */
export function densestPoints(frames: ArrayLike<number>[], n: number, max: number): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const peak = new Float64Array(n);
  for (const f of frames) for (let i = 0; i < n; i++) if (f[i] > peak[i]) peak[i] = f[i];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => peak[b] - peak[a]);
  return Int32Array.from(order.slice(0, max).sort((a, b) => a - b));
}
