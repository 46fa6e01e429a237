# make deps    install the Debian packages the build links against (once)
# make report  train, draw the gallery into images/ and write notebooks/train_neuralnet.md
# make compare the README's comparison: a learning-rate × hidden-units grid into images/compare/
#              and notebooks/compare.md
# make test    the whole test suite (unit, golden-image and end-to-end)
# make bench   make-report against the NumPy baseline (wall time, peak memory), a 4-run sweep
#              against the same runs one after another, then the output layer's C kernels
#              against OpenBLAS on 1 and 2 threads
# make sanitize  the test suite under AddressSanitizer (with leaks), then ThreadSanitizer
# make fuzz    each fuzz target under libFuzzer for FUZZ_SECONDS (default 60)

SWIFT    ?= swift
PYTHON   ?= python3
PACKAGES := libcairo2-dev libpng-dev zlib1g-dev liblapack-dev libgif-dev fonts-dejavu-core
# Only `make bench` links OpenBLAS, to time the C kernels against it; make-report does not.
BENCH_PACKAGES := libopenblas-dev
RUNS     ?= 5
# The C compiler SwiftPM builds CKernels with (the Swift toolchain's clang).
BENCH_CC ?= clang

FUZZ_SECONDS ?= 60
# The grid the README shows; `make compare` runs exactly this.
COMPARE := --learning-rate 0.01,0.1,0.5 --hidden 25,50,100

.PHONY: deps report compare test bench sanitize fuzz clean

# $(call install,PACKAGES): apt-get install whichever of PACKAGES are missing (as root, or through sudo).
define install
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	  else echo "make: missing Debian packages:$$missing; install them with: apt-get install$$missing" >&2; exit 1; fi; \
	  echo "make: installing$$missing"; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi
endef

deps:
	$(call install,$(PACKAGES))

report: deps
	$(SWIFT) build -c release --product make-report
	.build/release/make-report

compare: deps
	$(SWIFT) build -c release --product make-report
	.build/release/make-report $(COMPARE)

test: deps
	$(SWIFT) test

sanitize: deps
	SWIFT=$(SWIFT) Tests/Sanitizers/run

fuzz: deps
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run

bench: deps
	$(call install,$(BENCH_PACKAGES))
	$(SWIFT) build -c release --product make-report
	$(PYTHON) -c 'import numpy' 2>/dev/null || $(PYTHON) -m pip install --quiet numpy
	$(PYTHON) benchmarks/compare.py --runs $(RUNS)
	@echo
	$(PYTHON) benchmarks/sweep.py --runs $(RUNS)
	@echo
	$(BENCH_CC) -O3 -std=c11 -D_POSIX_C_SOURCE=200809L -I Sources/CKernels/include \
	  benchmarks/output_layer.c Sources/CKernels/kernels.c \
	  $$(pkg-config --cflags --libs openblas 2>/dev/null || echo -lopenblas) -lm \
	  -o .build/output-layer-bench
	.build/output-layer-bench

clean:
	rm -rf .build .build-asan .build-tsan .build-fuzz
