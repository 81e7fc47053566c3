#!/usr/bin/env bash
# Cross-compiles bidui.exe (64-bit Windows 10/11, GUI subsystem) on Debian/Ubuntu
# with mingw-w64. The icon and version information come from FyneApp.toml and
# assets/icon.png (through go-winres); the font, calendar and catalog are
# embedded, so the one file is the whole program. Output: dist/bidui.exe
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null
fi
version=$(sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
build=$(sed -n 's/^Build *= *\([0-9]*\)/\1/p' FyneApp.toml)
name=$(sed -n 's/^Name *= *"\(.*\)"/\1/p' FyneApp.toml)
# Windows resources (icon, version information, manifest) as a .syso linked into the binary
(cd cmd/bidui && go run github.com/tc-hib/go-winres@v0.3.3 simply \
  --arch amd64 --icon ../../assets/icon.png --manifest gui \
  --product-name "$name" --file-description "$name" --product-version "$version.$build" --file-version "$version.$build" \
  --original-filename bidui.exe --copyright "县乡村振兴局 内部使用")
mkdir -p dist
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
  go build -trimpath -ldflags "-H=windowsgui -s -w -X bidui/cmd/bidui/cli.Version=$version" -o dist/bidui.exe ./cmd/bidui
rm -f cmd/bidui/rsrc_windows_*.syso
file dist/bidui.exe 2>/dev/null || true
ls -la dist/bidui.exe
