#!/usr/bin/env python3
"""`make bench`: make-report against the NumPy notebook recipe, side by side.

Runs, alternately and RUNS times each, on this machine:
  - the release make-report doing the whole job (load, train, evaluate, render every
    picture, write the report) with its defaults, into a scratch folder;
  - benchmarks/train_neuralnet_numpy.py, the same recipe in NumPy float64.
Both load their data as they do on every run but the first: make-report from its
cache of the decoded data, NumPy from the pickle the book's dataset/mnist.py keeps
(mnist.pkl). A first run of each, which reads the gzip files and writes that copy
(into the scratch folder), comes before and is reported on its own.
Prints the median wall time and peak resident memory (the child's ru_maxrss, from
wait4) of each and their ratios, checks them against the targets (time at most
1/10, memory at most 1/5), then counts the floating-point work and compares the
rate reached with this machine's measured single-precision GEMM peak. (make-report's
matrix products are C kernels, not BLAS calls; benchmarks/output_layer.c, the
second half of `make bench`, times the dense ones against OpenBLAS on 1 and 2 threads.)
"""
import argparse
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data", "mnist")
MAKE_REPORT = os.path.join(ROOT, ".build", "release", "make-report")
NUMPY_SCRIPT = os.path.join(ROOT, "benchmarks", "train_neuralnet_numpy.py")


def runs_argument(doc):
    """The benchmarks' one option, --runs (default 5)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args().runs


def measure(command, cwd):
    """Wall seconds and peak RSS (MiB) of one run of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode()
    process.stderr.close()
    if status != 0:
        sys.exit(f"bench: {' '.join(command)} failed ({status}): {stderr.strip()}")
    return wall, usage.ru_maxrss / 1024


def sgemm_peak(threads):
    """Best float32 GEMM rate of NumPy's BLAS on 2048x2048 matrices, in GFLOP/s."""
    code = (
        "import numpy as np, time\n"
        "a = np.random.rand(2048, 2048).astype(np.float32); b = np.random.rand(2048, 2048).astype(np.float32)\n"
        "a @ b\n"
        "best = min((lambda t: (a @ b, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(8))\n"
        "print(2 * 2048 ** 3 / best / 1e9)\n")
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    return float(subprocess.check_output([sys.executable, "-c", code], env=env))


def nonzero_pixels(path):
    """Mean non-zero pixels per image of an IDX images file."""
    import numpy as np
    with gzip.open(path, "rb") as f:
        pixels = np.frombuffer(f.read(), np.uint8, offset=16)
    return np.count_nonzero(pixels) / (pixels.size / 784)


def main():
    runs = runs_argument(__doc__)
    data, make_report, numpy_script = DATA, MAKE_REPORT, NUMPY_SCRIPT

    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as scratch:
        ours_command = [make_report, "--quiet", "--data-dir", data, "--cache-dir", os.path.join(scratch, "cache"),
                        "--output-dir", os.path.join(scratch, "images"), "--report", os.path.join(scratch, "report.md")]
        numpy_command = [sys.executable, numpy_script, data, "--cache", os.path.join(scratch, "mnist.pkl")]
        ours_first, numpy_first = measure(ours_command, scratch), measure(numpy_command, scratch)
        print(f"first run (reads the gzip files, writes the decoded copy): make-report {ours_first[0]:.2f} s "
              f"{ours_first[1]:.0f} MiB, NumPy {numpy_first[0]:.2f} s {numpy_first[1]:.0f} MiB "
              f"({numpy_first[0] / ours_first[0]:.1f}x)", flush=True)
        for run in range(runs):
            ours.append(measure(ours_command, scratch))
            theirs.append(measure(numpy_command, scratch))
            print(f"run {run + 1}/{runs}: make-report {ours[-1][0]:.2f} s {ours[-1][1]:.0f} MiB, "
                  f"NumPy {theirs[-1][0]:.2f} s {theirs[-1][1]:.0f} MiB", flush=True)

    ours_time, ours_rss = (statistics.median(x[i] for x in ours) for i in (0, 1))
    numpy_time, numpy_rss = (statistics.median(x[i] for x in theirs) for i in (0, 1))
    print()
    print(f"{'median of ' + str(runs):<22}{'make-report':>14}{'NumPy':>12}{'ratio':>10}{'target':>10}")
    print(f"{'wall time (s)':<22}{ours_time:>14.2f}{numpy_time:>12.2f}{numpy_time / ours_time:>9.1f}x{'>= 10x':>10}")
    print(f"{'peak RSS (MiB)':<22}{ours_rss:>14.0f}{numpy_rss:>12.0f}{numpy_rss / ours_rss:>9.1f}x{'>= 5x':>10}")
    # Each run's pair (make-report, then NumPy right after): how far single runs
    # stray on a shared machine, beside the medians the targets are judged on.
    pair_ratios = sorted(theirs[i][0] / ours[i][0] for i in range(runs))
    print(f"wall-time ratio of each run pair: {', '.join(f'{r:.1f}x' for r in pair_ratios)}")
    time_ok = numpy_time / ours_time >= 10
    memory_ok = numpy_rss / ours_rss >= 5
    print(f"time target {'met' if time_ok else 'NOT met'}, memory target {'met' if memory_ok else 'NOT met'}")

    # Floating-point work of the recipe (multiply-adds count 2).
    iterations, batch, hidden, classes, evaluations = 10_000, 100, 50, 10, 17
    nnz_train = nonzero_pixels(os.path.join(data, "train-images-idx3-ubyte.gz"))
    nnz_test = nonzero_pixels(os.path.join(data, "t10k-images-idx3-ubyte.gz"))
    second_layer = 2 * batch * hidden * classes * 3              # Z2, dW2, dA1
    dense_step = 2 * 2 * batch * 784 * hidden + second_layer     # X·W1 and Xᵀ·dZ1, dense
    sparse_step = 2 * 2 * batch * nnz_train * hidden + second_layer
    evaluation = evaluations * (2 * (60_000 * nnz_train + 10_000 * nnz_test) * hidden + 2 * 70_000 * hidden * classes)
    dense_evaluation = evaluations * 2 * 70_000 * (784 * hidden + hidden * classes)
    sparse_total = iterations * sparse_step + evaluation
    dense_total = iterations * dense_step + dense_evaluation
    peak1, peak2 = sgemm_peak(1), sgemm_peak(2)
    print()
    print(f"non-zero pixels per image: {nnz_train:.1f} of 784 ({nnz_train / 784:.1%}) in training, {nnz_test:.1f} in test")
    print(f"work: {sparse_total / 1e9:.1f} GFLOP as make-report computes it (zero pixels skipped), "
          f"{dense_total / 1e9:.1f} GFLOP dense (as NumPy computes it)")
    print(f"measured float32 GEMM peak (NumPy's BLAS, 2048^3): {peak1:.0f} GFLOP/s on 1 thread, {peak2:.0f} GFLOP/s on 2")
    print(f"make-report: {sparse_total / ours_time / 1e9:.1f} GFLOP/s of useful work over the whole job = "
          f"{sparse_total / ours_time / 1e9 / peak2:.1%} of the 2-thread peak")
    print(f"NumPy:       {dense_total / numpy_time / 1e9:.1f} GFLOP/s of dense float64 work = "
          f"{dense_total / numpy_time / 1e9 / peak2:.1%} of the float32 2-thread peak")


if __name__ == "__main__":
    main()
