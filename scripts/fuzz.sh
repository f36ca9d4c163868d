#!/usr/bin/env bash
# Runs each fuzz target for a fixed number of inputs (FUZZTIME overrides
# every target's budget: 5000x, or a duration such as 30s). A crash fails
# the run and leaves its input under the package's testdata/fuzz.
#
# The budgets are counts, not durations: with a duration, Go 1.26's fuzz
# coordinator can report its own deadline as a failure ("context deadline
# exceeded", no input written) when a worker is starved of CPU at the end
# (go.dev/issue/75804, fixed in Go 1.27); a count has no deadline to race.
# Each takes 3–10 s of fuzzing on this 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz() { # target package budget
  local t=${FUZZTIME:-$3}
  echo "fuzz.sh: $1 for $t"
  go test -run='^$' -fuzz="^$1\$" -fuzztime="$t" "$2"
}
# Each target's package is first compiled with coverage instrumentation,
# which takes a few minutes on 2 cores before the fuzzing starts.
fuzz FuzzCheckImage ./internal/media 2000x
fuzz FuzzVariants ./internal/media 5000x
# The CAS ticket-validation answer and single-logout request parsers.
fuzz FuzzParseServiceResponse ./internal/campus 30000x
