# Syllabus: `make demo` runs the bundled example end to end; `make test` runs the tests.
# Both install the Debian packages the build needs when they are missing (root or sudo).

SWIFT ?= swift
APT_PACKAGES := libzstd-dev zlib1g-dev libxxhash-dev libpcre2-dev pkg-config zstd
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps bench-deps build release demo test test-slow bench bench-tokenize bench-pack bench-filters bench-langid bench-plan bench-dedup bench-decontaminate bench-classify topics clean

# Installs the Debian packages of $(1) that are missing.
define apt_install_missing
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call apt_install_missing,$(APT_PACKAGES))

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation are linked statically: start-up skips resolving their ~10k symbols
# (`syllabus --help` 18 → 9 ms, paid by every command), and the binary runs on cluster nodes that have
# no Swift toolchain. Build release binaries with `make release` so the flag stays the same (changing it
# rebuilds everything).
RELEASE_FLAGS := -c release --static-swift-stdlib

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product syllabus

QWEN := Tests/Fixtures/tokenizers/qwen.tiktoken.zst

# curate → stats → pack; then the Llama-3-SynE miniature: plan two stages, show the topic-ratio update,
# pack each stage in curriculum order; then the full-scale Llama-3-SynE plan, explained.
demo: release
	rm -rf runs/example runs/example-packed runs/example-plan runs/example-topics
	.build/release/syllabus build-training-set --map examples/topics/map-en-example.tsv --data examples/benchmarks \
	    --taxonomy en --output runs/example-topics/en.jsonl
	.build/release/syllabus train-classifier --input runs/example-topics/en.jsonl --taxonomy en --holdout 0.1 --seed 1 \
	    --dim 16 --epoch 20 --lr 0.5 --min-count 2 --report runs/example-topics/report.md --output runs/example-topics/topics-en.bin
	@echo
	.build/release/syllabus curate examples/pipeline.yaml
	@echo
	.build/release/syllabus stats runs/example
	@echo
	.build/release/syllabus pack --tokenizer $(QWEN) runs/example --output runs/example-packed/example
	@echo
	.build/release/syllabus plan examples/plans/llama3-syne-mini.yaml
	@echo
	.build/release/syllabus adjust examples/plans/llama3-syne-mini.yaml --stage 2 --eval examples/plans/eval-after-stage-1.yaml --dry-run
	@echo
	.build/release/syllabus pack --tokenizer $(QWEN) --stage 1 runs/example-plan --output runs/example-packed/stage-1
	.build/release/syllabus pack --tokenizer $(QWEN) --stage 2 runs/example-plan --output runs/example-packed/stage-2
	@echo
	.build/release/syllabus plan examples/plans/llama3-syne.yaml --explain

# Builds the syllabus binary too: the command-line and kill-and-resume tests run it. Tokenizer images
# (TokenizerCache) go under .build, not the user's ~/.cache.
test: deps
	$(SWIFT) build --build-tests
	SYLLABUS_CACHE_DIR=$(CURDIR)/.build/test-cache $(SWIFT) test --skip-build --skip Slow

# What the benchmark scripts run besides Syllabus: hyperfine and GNU time (timing), bc (ratios), python3-venv
# (the peers' virtual environments, filled from PyPI), Debian's fasttext (the reference binary).
BENCH_APT_PACKAGES := hyperfine time bc python3-venv fasttext

bench-deps:
	$(call apt_install_missing,$(BENCH_APT_PACKAGES))

# Long-running suites (large generated inputs); not part of `make test`.
test-slow: deps
	$(SWIFT) build --build-tests
	SYLLABUS_CACHE_DIR=$(CURDIR)/.build/test-cache $(SWIFT) test --skip-build --filter Slow

bench: release bench-deps
	Benchmarks/passthrough.sh

# Tokenizers vs tiktoken / HF tokenizers (about 40 min on 2 cores; needs PyPI for the peers).
bench-tokenize: release bench-deps
	Benchmarks/tokenize.sh

# The curation chain (language id → Gopher quality → Gopher repetition → C4 → FineWeb) vs datatrove 0.10.1
# (about 4 min; needs PyPI for datatrove), and language id alone vs fastText's Python binding.
bench-filters: release bench-deps
	Benchmarks/filters.sh

# Packing 1 GB into Megatron .bin/.idx with 1 and 2 workers: time and peak memory (about 2 min).
bench-pack: release bench-deps
	Benchmarks/pack.sh

bench-langid: release bench-deps
	Benchmarks/langid.sh

# Planning 27 stages over 0.1M–10M documents of generated metadata (a few minutes; needs Python 3 only).
bench-plan: release bench-deps
	Benchmarks/plan.sh

# MinHash near-dedup vs rensa and datatrove on a 30 MB slice (about 6 min; builds the 1M-document corpus
# the first time, about 3 min and 2.5 GB of memory; needs PyPI for the peers).
bench-decontaminate: release bench-deps
	Benchmarks/decontaminate.sh

# The classify step vs Debian's fasttext predict-prob, same model and texts (about 1 min).
bench-classify: release bench-deps
	Benchmarks/classify.sh

bench-dedup: release bench-deps
	Benchmarks/dedup.sh

# Topic classifiers (SPEC §4) from the labeled sets of ../shared/data: held-out accuracy and confusion
# matrices in Benchmarks/results/topics-<date>.md (a few minutes; examples/topics/README.md).
topics: release
	examples/topics/train.sh

clean:
	rm -rf .build runs
