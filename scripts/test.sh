#!/usr/bin/env bash
# One command for the tests: install what is needed, vet, run every test
# headless, run each fuzz target for a few seconds, and build and check the
# Windows program.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
unset LC_ALL LC_MESSAGES
export LANG=zh_CN.UTF-8
go vet ./...
# the Windows program: cross-compiled and checked to be a 64-bit GUI executable
bash scripts/build-windows.sh
go run ./scripts/checkexe dist/bidui.exe
go test -count=1 ./...
for target in "FuzzParseID ./engine" "FuzzReadCSV ./engine/excel" "FuzzReadXLSX ./engine/excel" "FuzzImportFeedback ./app"; do
  set -- $target
  go test -run '^$' -fuzz "^$1\$" -fuzztime "${FUZZTIME:-8s}" "$2"
done
