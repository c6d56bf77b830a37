# The two commands the README starts with: `make demo` and `make test`.
SWIFT ?= swift

.PHONY: demo test build docs bootstrap clean

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build

# Checks the bundled example apps and writes their reports to reports/.
demo: build
	@scripts/demo

# The whole suite: every parser fuzzed for 10 s (libFuzzer, AddressSanitizer), then unit,
# check examples, reporter goldens, the real binary. The fuzzing goes first so the test
# runner's summary is the last line.
test: bootstrap
	bench/fuzz 10
	$(SWIFT) test --disable-xctest

# Regenerates docs/checks.md from the check descriptions.
docs: build
	$$($(SWIFT) build --show-bin-path)/preflight explain --all --format markdown > docs/checks.md

clean:
	rm -rf .build
