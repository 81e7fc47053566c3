#!/usr/bin/env bash
# One command for the tests: install what is needed, vet, check go.mod is
# tidy, staticcheck, run every test
# headless, run each fuzz target for a few seconds, and build, check and run
# (under Wine) the Windows program.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
unset LC_ALL LC_MESSAGES
export LANG=zh_CN.UTF-8
go vet ./...
# go.mod and go.sum say exactly what the code needs; staticcheck finds dead
# and suspicious code (its version pinned, fetched through the module proxy)
go mod tidy -diff
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
# the Windows program: cross-compiled and checked to be a 64-bit GUI executable
bash scripts/build-windows.sh
go run ./scripts/checkexe dist/bidui.exe
# and run under Wine: a demo month from the command line, and the window drawn
bash scripts/wine-check.sh
go test -count=1 ./...
# Fuzzing is bounded by a count of executions, not by time: a time limit
# can end in a spurious "context deadline exceeded" failure when a loaded
# machine starves the workers at the deadline (go.dev/issue/75804). Each
# count is a few seconds here; FUZZTIME overrides all of them (e.g. 60s).
for target in "FuzzParseID ./engine 60000x" "FuzzReadCSV ./engine/excel 6000x" "FuzzReadXLSX ./engine/excel 5000x" "FuzzReadXLS ./engine/excel 5000x" "FuzzImportFeedback ./app 3000x"; do
  set -- $target
  go test -run '^$' -fuzz "^$1\$" -fuzztime "${FUZZTIME:-$3}" "$2"
done
