#!/usr/bin/env bash
# The README's first command: builds the story editor's bundle when it is
# missing or stale (scripts/editor.sh), then starts Newsdesk with the
# arguments given (bash scripts/serve.sh --demo).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/editor.sh
exec go run ./cmd/newsdesk serve "$@"
