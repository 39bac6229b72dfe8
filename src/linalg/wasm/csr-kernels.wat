;; CSR kernels of the multigrid levels whose rows reach beyond the nearest neighbours (the fine level of a
;; surface tube with the QUICK flux along Γ, its Galerkin coarse levels): Gauss–Seidel sweeps, mat-vec,
;; residual, residual + restriction onto the aggregates of a coarse grid. The arithmetic and its order are
;; those of the JavaScript CSR loops in stencil.ts, operation by operation (f64 mul, f64 sub, no fused
;; multiply-add), so both give the same bits. Arrays live in the imported memory at byte offsets: rp, ci,
;; dp (i32; rowPtr, colIdx, diagonal positions), va, inv, b, x, y, bc (f64). Assembled by scripts/build-wasm.mjs.
;; Loops written out in full (V8's WebAssembly compiler in Node 20 does not inline calls: a helper per row
;; and per load cost 12.1 against 16.5 ms a cycle on scalar-net's hierarchy).
(module
  (import "env" "mem" (memory 1))

  ;; Gauss–Seidel over the rows [c0, c1), ascending (dir = 1) or descending (dir = −1):
  ;; x[c] = (b[c] − Σ_{j<c} a_cj x_j − Σ_{j>c} a_cj x_j)·inv[c]; lowerOnly: the upper sum left out (x = 0 ahead).
  (func (export "gs") (param $c0 i32) (param $c1 i32) (param $dir i32) (param $lowerOnly i32)
      (param $rp i32) (param $ci i32) (param $va i32) (param $dp i32) (param $inv i32) (param $b i32) (param $x i32)
    (local $c i32) (local $d i32) (local $s f64) (local $k i32) (local $e i32)
    (if (i32.ge_s (local.get $c0) (local.get $c1)) (then (return)))
    (local.set $c (select (local.get $c0) (i32.sub (local.get $c1) (i32.const 1)) (i32.gt_s (local.get $dir) (i32.const 0))))
    (loop $rows
      (local.set $d (i32.load (i32.add (local.get $dp) (i32.shl (local.get $c) (i32.const 2)))))
      (local.set $s (f64.load (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 3)))))
      (local.set $k (i32.load (i32.add (local.get $rp) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $e (local.get $d))
        (block $out_lo
          (loop $l_lo
            (br_if $out_lo (i32.ge_s (local.get $k) (local.get $e)))
            (local.set $s
              (f64.sub (local.get $s)
                (f64.mul
                  (f64.load (i32.add (local.get $va) (i32.shl (local.get $k) (i32.const 3))))
                  (f64.load (i32.add (local.get $x) (i32.shl (i32.load (i32.add (local.get $ci) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l_lo)))
      (if (i32.eqz (local.get $lowerOnly))
        (then
          (local.set $k (i32.add (local.get $d) (i32.const 1)))
        (local.set $e (i32.load (i32.add (local.get $rp) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2)))))
        (block $out_up
          (loop $l_up
            (br_if $out_up (i32.ge_s (local.get $k) (local.get $e)))
            (local.set $s
              (f64.sub (local.get $s)
                (f64.mul
                  (f64.load (i32.add (local.get $va) (i32.shl (local.get $k) (i32.const 3))))
                  (f64.load (i32.add (local.get $x) (i32.shl (i32.load (i32.add (local.get $ci) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l_up)))))
      (f64.store (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 3)))
        (f64.mul (local.get $s) (f64.load (i32.add (local.get $inv) (i32.shl (local.get $c) (i32.const 3))))))
      (local.set $c (i32.add (local.get $c) (local.get $dir)))
      (br_if $rows (i32.and (i32.ge_s (local.get $c) (local.get $c0)) (i32.lt_s (local.get $c) (local.get $c1))))))

  ;; y[c] = Σ_k va[k]·x[ci[k]] (s = 0; s += a·x in ascending k) for c in [0, n).
  (func (export "matvec") (param $n i32) (param $rp i32) (param $ci i32) (param $va i32) (param $x i32) (param $y i32)
    (local $c i32) (local $k i32) (local $e i32) (local $s f64)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $c) (local.get $n)))
        (local.set $s (f64.const 0))
        (local.set $k (i32.load (i32.add (local.get $rp) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $e (i32.load (i32.add (local.get $rp) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2)))))
        (block $out_mv
          (loop $l_mv
            (br_if $out_mv (i32.ge_s (local.get $k) (local.get $e)))
            (local.set $s
              (f64.add (local.get $s)
                (f64.mul
                  (f64.load (i32.add (local.get $va) (i32.shl (local.get $k) (i32.const 3))))
                  (f64.load (i32.add (local.get $x) (i32.shl (i32.load (i32.add (local.get $ci) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l_mv)))
        (f64.store (i32.add (local.get $y) (i32.shl (local.get $c) (i32.const 3))) (local.get $s))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $rows))))

  ;; r[c] = b[c] − Σ_k va[k]·x[ci[k]] for c in [0, n).
  (func (export "residual") (param $n i32) (param $rp i32) (param $ci i32) (param $va i32) (param $b i32) (param $x i32) (param $r i32)
    (local $c i32) (local $k i32) (local $e i32) (local $s f64)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $c) (local.get $n)))
        (local.set $s (f64.load (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 3)))))
        (local.set $k (i32.load (i32.add (local.get $rp) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $e (i32.load (i32.add (local.get $rp) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2)))))
        (block $out_r
          (loop $l_r
            (br_if $out_r (i32.ge_s (local.get $k) (local.get $e)))
            (local.set $s
              (f64.sub (local.get $s)
                (f64.mul
                  (f64.load (i32.add (local.get $va) (i32.shl (local.get $k) (i32.const 3))))
                  (f64.load (i32.add (local.get $x) (i32.shl (i32.load (i32.add (local.get $ci) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l_r)))
        (f64.store (i32.add (local.get $r) (i32.shl (local.get $c) (i32.const 3))) (local.get $s))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $rows))))

  ;; Residual summed into aggregates, line by line (lines ℓ in [0, nLines), ℓ = i1 + n1·i2, n0 cells each):
  ;; bc[cc0·((i1 >> f1) + cc1·(i2 >> f2)) + (i0 >> f0)] += s, s = b[c] − Σ_k a x (upper: 0 − Σ_{k > diag} a x).
  ;; Returns Σ s² (s added in the order of the cells).
  (func (export "resrestrict") (param $nLines i32) (param $n0 i32) (param $n1 i32) (param $f0 i32) (param $f1 i32) (param $f2 i32)
      (param $cc0 i32) (param $cc1 i32) (param $upper i32)
      (param $rp i32) (param $ci i32) (param $va i32) (param $dp i32) (param $b i32) (param $x i32) (param $bc i32) (result f64)
    (local $l i32) (local $i1 i32) (local $i2 i32) (local $base i32) (local $R i32) (local $c i32) (local $end i32)
    (local $s f64) (local $ss f64) (local $p i32) (local $k i32) (local $e i32)
    (block $done
      (loop $lines
        (br_if $done (i32.ge_s (local.get $l) (local.get $nLines)))
        (local.set $i1 (i32.rem_s (local.get $l) (local.get $n1)))
        (local.set $i2 (i32.div_s (i32.sub (local.get $l) (local.get $i1)) (local.get $n1)))
        (local.set $base (i32.mul (local.get $n0) (local.get $l)))
        (local.set $R (i32.mul (local.get $cc0)
          (i32.add (i32.shr_s (local.get $i1) (local.get $f1)) (i32.mul (local.get $cc1) (i32.shr_s (local.get $i2) (local.get $f2))))))
        (local.set $c (local.get $base))
        (local.set $end (i32.add (local.get $base) (local.get $n0)))
        (block $lineDone
          (loop $cells
            (br_if $lineDone (i32.ge_s (local.get $c) (local.get $end)))
            (if (local.get $upper)
              (then
                (local.set $s (f64.const 0))
                (local.set $k (i32.add (i32.load (i32.add (local.get $dp) (i32.shl (local.get $c) (i32.const 2)))) (i32.const 1)))
        (local.set $e (i32.load (i32.add (local.get $rp) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2)))))
        (block $out_ru
          (loop $l_ru
            (br_if $out_ru (i32.ge_s (local.get $k) (local.get $e)))
            (local.set $s
              (f64.sub (local.get $s)
                (f64.mul
                  (f64.load (i32.add (local.get $va) (i32.shl (local.get $k) (i32.const 3))))
                  (f64.load (i32.add (local.get $x) (i32.shl (i32.load (i32.add (local.get $ci) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l_ru))))
              (else
                (local.set $s (f64.load (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 3)))))
                (local.set $k (i32.load (i32.add (local.get $rp) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $e (i32.load (i32.add (local.get $rp) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2)))))
        (block $out_rf
          (loop $l_rf
            (br_if $out_rf (i32.ge_s (local.get $k) (local.get $e)))
            (local.set $s
              (f64.sub (local.get $s)
                (f64.mul
                  (f64.load (i32.add (local.get $va) (i32.shl (local.get $k) (i32.const 3))))
                  (f64.load (i32.add (local.get $x) (i32.shl (i32.load (i32.add (local.get $ci) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $l_rf)))))
            (local.set $p (i32.add (local.get $bc) (i32.shl (i32.add (local.get $R) (i32.shr_s (i32.sub (local.get $c) (local.get $base)) (local.get $f0))) (i32.const 3))))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (local.get $s)))
            (local.set $ss (f64.add (local.get $ss) (f64.mul (local.get $s) (local.get $s))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $cells)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $lines)))
    (local.get $ss))
)
