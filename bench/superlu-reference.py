"""SciPy SuperLU on a matrix exported by `gammafp bench` (the same-run reference of the bench).

Usage: python3 superlu-reference.py DIR

DIR holds header.json and the raw little-endian arrays it names: the CSR matrix A (rowPtr, colIdx as int32,
values as float64) of order n, the diagonal mass m (float64) and the start vector x0 (float64). The script
factors A with scipy.sparse.linalg.splu (its defaults: COLAMD column ordering) `factorRepeats` times, then takes
`steps` backward-Euler steps x <- A^-1 (m * x) from x0 with the last factorisation, timing each solve, and times
`matVecRepeats` products A @ x. It prints one JSON document on stdout; when SciPy cannot be imported it prints
{"skipped": "..."} and exits 0. Python is optional for gammafp: nothing else uses this script.
"""
import json
import os
import sys
import time


def main() -> int:
    try:
        import numpy as np
        import scipy
        import scipy.sparse as sp
        import scipy.sparse.linalg as spla
    except ImportError as e:  # the bench prints its one-line note
        print(json.dumps({"skipped": f"scipy not importable ({e})"}))
        return 0

    folder = sys.argv[1]
    with open(os.path.join(folder, "header.json"), encoding="utf-8") as f:
        h = json.load(f)
    n = int(h["n"])

    def read(name, dtype):
        return np.fromfile(os.path.join(folder, h["files"][name]), dtype=dtype)

    row_ptr = read("rowPtr", "<i4")
    col_idx = read("colIdx", "<i4")
    values = read("values", "<f8")
    mass = read("mass", "<f8")
    x0 = read("x0", "<f8")
    if row_ptr.size != n + 1 or col_idx.size != h["nnz"] or values.size != h["nnz"] or mass.size != n or x0.size != n:
        print(json.dumps({"error": "exported arrays do not match header.json"}))
        return 1
    A = sp.csr_matrix((values, col_idx, row_ptr), shape=(n, n))
    Acsc = A.tocsc()

    factor_ms = []
    lu = None
    for _ in range(int(h.get("factorRepeats", 3))):
        t = time.perf_counter()
        lu = spla.splu(Acsc)
        factor_ms.append(1e3 * (time.perf_counter() - t))

    x = x0.copy()
    solve_ms = []
    residual = 0.0
    for _ in range(int(h.get("steps", 20))):
        b = mass * x
        t = time.perf_counter()
        x = lu.solve(b)
        solve_ms.append(1e3 * (time.perf_counter() - t))
        residual = max(residual, float(np.linalg.norm(A @ x - b) / np.linalg.norm(b)))

    mv_ms = []
    for _ in range(int(h.get("matVecRepeats", 50))):
        t = time.perf_counter()
        A @ x
        mv_ms.append(1e3 * (time.perf_counter() - t))

    print(json.dumps({
        "python": sys.version.split()[0],
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "permcSpec": "COLAMD",
        "n": n,
        "nnz": int(A.nnz),
        "fill": float((lu.L.nnz + lu.U.nnz) / A.nnz),
        "factorMs": factor_ms,
        "solveMs": solve_ms,
        "matVecMs": mv_ms,
        "maxRelResidual": residual,
        "massEnd": float((mass * x).sum()),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
