#!/usr/bin/env python3
"""`make bench`, second part: a 4-run sweep against the same runs one after another.

The sweep is `make-report --learning-rate 0.05,0.5 --hidden 25,100 --iterations 3000`
(the whole job: load once, train the four runs, draw the comparison, write the report).
It is timed, alternately and RUNS times each, against
  - the same four configurations as four separate make-report runs, one after another
    (a shell loop; each also draws its full single-run gallery, as such a loop would);
  - benchmarks/train_neuralnet_numpy.py running the four configurations one after another.
Everything loads its data from its cache (make-report's decoded copy, NumPy's pickle),
written by a first, untimed round. Prints the medians, the ratios and the targets: the
sweep at most 0.10x the NumPy wall and at most 1.0x the loop's, its peak RSS at most 2x a
single run's (the largest of the four separate runs').
"""
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import DATA, MAKE_REPORT, NUMPY_SCRIPT, measure, runs_argument  # noqa: E402

RATES, HIDDEN, ITERATIONS = ["0.05", "0.5"], ["25", "100"], "3000"


def main():
    runs = runs_argument(__doc__)
    data, make_report, numpy_script = DATA, MAKE_REPORT, NUMPY_SCRIPT
    configurations = [(rate, hidden) for rate in RATES for hidden in HIDDEN]

    with tempfile.TemporaryDirectory() as scratch:
        common = [make_report, "--quiet", "--data-dir", data, "--cache-dir", os.path.join(scratch, "cache"), "--iterations", ITERATIONS]
        sweep = common + ["--learning-rate", ",".join(RATES), "--hidden", ",".join(HIDDEN),
                          "--output-dir", os.path.join(scratch, "compare"), "--report", os.path.join(scratch, "compare.md")]
        alone = [common + ["--learning-rate", rate, "--hidden", hidden, "--output-dir", os.path.join(scratch, "images"),
                           "--report", os.path.join(scratch, "report.md")] for rate, hidden in configurations]
        numpy = [[sys.executable, numpy_script, data, "--cache", os.path.join(scratch, "mnist.pkl"), "--learning-rate", rate,
                  "--hidden", hidden, "--iterations", ITERATIONS] for rate, hidden in configurations]
        print(f"command: make-report --learning-rate {','.join(RATES)} --hidden {','.join(HIDDEN)} --iterations {ITERATIONS}", flush=True)
        measure(sweep, scratch), measure(numpy[0], scratch)  # fill both caches

        sweeps, loops, numpys, single_rss = [], [], [], []
        for run in range(runs):
            sweeps.append(measure(sweep, scratch))
            each = [measure(command, scratch) for command in alone]
            loops.append(sum(w for w, _ in each))
            single_rss.append(max(r for _, r in each))
            numpys.append(sum(measure(command, scratch)[0] for command in numpy))
            print(f"run {run + 1}/{runs}: sweep {sweeps[-1][0]:.2f} s {sweeps[-1][1]:.0f} MiB, "
                  f"four make-report runs {loops[-1]:.2f} s (largest {single_rss[-1]:.0f} MiB), "
                  f"four NumPy runs {numpys[-1]:.2f} s", flush=True)

    sweep_time, sweep_rss = (statistics.median(x[i] for x in sweeps) for i in (0, 1))
    loop_time, numpy_time, rss = statistics.median(loops), statistics.median(numpys), statistics.median(single_rss)
    print()
    print(f"{'median of ' + str(runs):<34}{'sweep':>10}{'other':>10}{'ratio':>9}{'target':>10}")
    print(f"{'wall (s), against 4 NumPy runs':<34}{sweep_time:>10.2f}{numpy_time:>10.2f}{sweep_time / numpy_time:>9.3f}{'<= 0.10':>10}")
    print(f"{'wall (s), against 4 make-report':<34}{sweep_time:>10.2f}{loop_time:>10.2f}{sweep_time / loop_time:>9.3f}{'<= 1.0':>10}")
    print(f"{'peak RSS (MiB), against 1 run':<34}{sweep_rss:>10.0f}{rss:>10.0f}{sweep_rss / rss:>9.2f}{'<= 2.0':>10}")
    met = [sweep_time / numpy_time <= 0.10, sweep_time / loop_time <= 1.0, sweep_rss / rss <= 2.0]
    print("sweep targets: " + ", ".join(f"{name} {'met' if ok else 'NOT met'}" for name, ok in zip(["NumPy", "loop", "memory"], met)))


if __name__ == "__main__":
    main()
