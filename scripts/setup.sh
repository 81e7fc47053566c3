#!/usr/bin/env bash
# Installs what building and testing bidui needs on Debian/Ubuntu: the C
# headers Fyne's OpenGL driver compiles against, Xvfb for a headless window,
# poppler-utils for looking at PDFs, the Chinese font, and Go if missing.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
pkgs=(gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev xvfb poppler-utils fonts-droid-fallback)
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统依赖：${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="$PATH:/usr/local/go/bin"
  else
    echo "需要 Go 1.26 或更新版本：请安装 golang-go（或从 go.dev 安装）后重试" >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq golang-go >/dev/null
  fi
fi
go version
