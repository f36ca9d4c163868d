#!/usr/bin/env bash
# Runs each fuzz target for a short time (FUZZTIME, default 10s). A crash
# fails the run and leaves its input under the package's testdata/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-10s}
# Each target's package is first compiled with coverage instrumentation,
# which takes a few minutes on 2 cores before the fuzzing starts.
for target in FuzzCheckImage FuzzVariants; do
  echo "fuzz.sh: $target for $t"
  go test -run='^$' -fuzz="^$target\$" -fuzztime="$t" ./internal/media
done
# The CAS ticket-validation answer and single-logout request parsers.
echo "fuzz.sh: FuzzParseServiceResponse for $t"
go test -run='^$' -fuzz='^FuzzParseServiceResponse$' -fuzztime="$t" ./internal/campus
