#!/usr/bin/env bash
# Runs the Windows program under Wine, as CI does on every run: a demo
# month from the command line (demo, import, match, assign, print into a
# folder with a Chinese name, report, backup) with its exit codes and files
# checked, then the window under Xvfb, checked to draw (a screenshot that is
# not blank, kept as dist/wine-window.png).
#
# What Wine proves and what it does not is said in the README ("Windows").
# Wine 8 lacks ProcessPrng, which Go programs load from bcryptprimitives.dll;
# scripts/wine/prng_shim.c supplies it, in this test prefix only.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
need=()
for p in wine64 xvfb imagemagick locales gcc-mingw-w64-x86-64; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# a Chinese Windows: the zh_CN locale, which Wine takes as the user's
if ! locale -a 2>/dev/null | grep -qi '^zh_CN.utf8$'; then
  $SUDO sed -i 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' /etc/locale.gen
  $SUDO locale-gen zh_CN.UTF-8 >/dev/null
fi
[ -f dist/bidui.exe ] || bash scripts/build-windows.sh
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
work=$(mktemp -d)
export WINEPREFIX="$work/prefix" WINEARCH=win64 WINEDEBUG=-all LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
# no Mono or Gecko download prompts (there is no network); the shim before Wine's own
export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n,b"
display=:97
Xvfb $display -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; "$wine"server -k 2>/dev/null || wineserver -k 2>/dev/null || true' EXIT
export DISPLAY=$display
sleep 1
echo "Wine：建立测试用的 Windows 环境（$("$wine" --version)）"
"$wine" wineboot -i >/dev/null 2>&1
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  scripts/wine/prng_shim.c scripts/wine/prng_shim.def -ladvapi32
# the program's temporary files start with a dot: let Wine list them
"$wine" reg add 'HKEY_CURRENT_USER\Software\Wine' /v ShowDotFiles /t REG_SZ /d Y /f >/dev/null 2>&1
cdrive="$WINEPREFIX/drive_c"
mkdir -p "$cdrive/ci"
cp dist/bidui.exe "$cdrive/ci/bidui.exe"
db='C:\ci\青山县.db'
fail=0
run() { # run EXPECTED_EXIT ARGS...: bidui.exe with its output kept
  local want=$1; shift
  set +e
  (cd "$cdrive/ci" && "$wine" 'C:\ci\bidui.exe' "$@" >"$work/out.txt" 2>"$work/err.txt")
  local code=$?
  set -e
  if [ "$code" != "$want" ]; then
    echo "失败：bidui.exe $* 退出码 $code，应为 $want"; sed 's/^/  /' "$work/err.txt" | head -20; fail=1
  fi
}
period=$(date +%Y-%m)
run 0 demo --db "$db" --out 'C:\ci\示例文件' --households 150 --seed 7 --json
grep -q '"county"' "$work/out.txt" || { echo "失败：demo --json 没有输出"; fail=1; }
n=0
for f in "$cdrive/ci/示例文件"/*_*.xlsx "$cdrive/ci/示例文件"/*_*.csv; do
  [ -f "$f" ] || continue
  run 0 import --db "$db" --period "$period" --json "C:\\ci\\示例文件\\$(basename "$f")"
  n=$((n+1))
done
[ "$n" -ge 10 ] || { echo "失败：只导入了 $n 个部门清单"; fail=1; }
run 0 match --db "$db" --period "$period" --json
grep -q '"clues"' "$work/out.txt" || { echo "失败：match --json 没有 clues"; fail=1; }
run 0 assign --db "$db" --period "$period" --json
run 0 print --db "$db" --period "$period" --out 'C:\ci\交办单 十二月'
pdfs=$(ls "$cdrive/ci/交办单 十二月"/*.pdf 2>/dev/null | wc -l)
xlsx=$(ls "$cdrive/ci/交办单 十二月"/*.xlsx 2>/dev/null | wc -l)
[ "$pdfs" -ge 2 ] && [ "$xlsx" -ge 1 ] || { echo "失败：打印只得到 $pdfs 个 PDF、$xlsx 个 Excel"; fail=1; }
leftover=$(find "$cdrive/ci" -name '.*' | wc -l)
[ "$leftover" = 0 ] || { echo "失败：留下了 $leftover 个临时文件"; find "$cdrive/ci" -name '.*'; fail=1; }
run 0 report --db "$db" --period "$period" --out 'C:\ci\月报表.xlsx'
[ -s "$cdrive/ci/月报表.xlsx" ] || { echo "失败：没有月报表"; fail=1; }
export BIDUI_BACKUP_PASSWORD='CI备份密码2026'
run 0 backup --db "$db" --out 'C:\ci\备份\青山县备份.db'
[ -s "$cdrive/ci/备份/青山县备份.db" ] || { echo "失败：没有备份文件"; fail=1; }
run 0 restore --db 'C:\ci\恢复\青山县.db' --from 'C:\ci\备份\青山县备份.db'
grep -q '青山县' "$work/err.txt" || { echo "失败：恢复时没有显示备份内容"; cat "$work/err.txt"; fail=1; }
run 2 match --db "$db"
grep -q -- '--period' "$work/err.txt" || { echo "失败：命令写错时没有中文提示"; fail=1; }
run 1 import --db "$db" --period "$period" --dept 医保局 --list 住院自付 'C:\ci\没有这个文件.xlsx'
grep -q '找不到' "$work/err.txt" || { echo "失败：文件不存在时没有中文提示"; cat "$work/err.txt"; fail=1; }
echo "命令行：演示月份在 Wine 下完成（导入 $n 个清单，打印 $pdfs 个 PDF、$xlsx 个 Excel）"
# the window: it must draw
(cd "$cdrive/ci" && "$wine" 'C:\ci\bidui.exe' --db "$db" >"$work/window.txt" 2>&1) &
for i in $(seq 1 60); do
  sleep 1
  import -display $display -window root "$work/shot.png" 2>/dev/null || continue
  colors=$(identify -format '%k' "$work/shot.png" 2>/dev/null || echo 0)
  [ "$colors" -gt 50 ] && break
done
mkdir -p dist
cp "$work/shot.png" dist/wine-window.png 2>/dev/null || true
if [ "${colors:-0}" -le 50 ]; then
  echo "失败：窗口没有画出来（截图只有 ${colors:-0} 种颜色）"; sed 's/^/  /' "$work/window.txt" | head -20; fail=1
else
  echo "窗口：在 Wine 下画出（截图 $colors 种颜色，dist/wine-window.png）"
fi
rm -rf "$work"
exit $fail
