#!/usr/bin/env bash
# Build TagDesk with PyInstaller (build.spec) and prove the frozen app starts and works:
# run its --self-test offscreen, check its --version, and check that every Qt library the
# bundle's plugins link against is in the bundle.
#
#   .ci/frozen_smoke.sh                  # from the repository root; about half a minute
#   TAGDESK_SKIP_FROZEN=1 .ci/run        # skip this step (no PyInstaller build)
#   TAGDESK_FROZEN_WORK=/tmp/pyi .ci/frozen_smoke.sh   # keep the build and logs there
#
# Fails on a failed or slow (> 10 min) build, a non-zero exit, or any stderr line outside
# the allowlist below; on failure it prints the app's log and re-runs with --debug.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${TAGDESK_SKIP_FROZEN:-0}" = 1 ]; then
  echo "frozen smoke test: skipped (TAGDESK_SKIP_FROZEN=1)"
  exit 0
fi

PYINSTALLER="${PYINSTALLER:-.venv/bin/pyinstaller}"
BUILD_TIMEOUT_S=600
RUN_TIMEOUT_S=300
work="${TAGDESK_FROZEN_WORK:-$(mktemp -d -t tagdesk-frozen-XXXXXX)}"
mkdir -p "$work"
app="$work/dist/TagDesk/TagDesk"
cli="$work/dist/TagDesk/tagdesk-cli"
# stderr lines a healthy run may print (extended regexes); anything else fails the step.
allowed_stderr='^$'

fail() {
  echo "frozen smoke test FAILED: $*" >&2
  exit 1
}

# The bundle is built from the pinned versions (a no-op when the venv already has them).
PIP="$(dirname "$PYINSTALLER")/pip"
"$PIP" install -q -c constraints-frozen.txt -e . >"$work/pip.log" 2>&1 \
  || { tail -n 20 "$work/pip.log" >&2; fail "installing the pinned versions (constraints-frozen.txt) failed"; }

echo "frozen smoke test: building with PyInstaller into $work"
started=$(date +%s)
timeout "$BUILD_TIMEOUT_S" "$PYINSTALLER" --noconfirm --log-level WARN \
  --distpath "$work/dist" --workpath "$work/build" build.spec >"$work/pyinstaller.log" 2>&1
rc=$?
build_s=$(( $(date +%s) - started ))
if [ "$rc" -ne 0 ]; then
  tail -n 60 "$work/pyinstaller.log" >&2
  [ "$rc" -eq 124 ] && fail "the build took longer than $BUILD_TIMEOUT_S s"
  fail "pyinstaller exited with $rc"
fi
[ -x "$app" ] && [ -x "$cli" ] || fail "the build produced no $app / $cli"
size=$(du -sh "$work/dist/TagDesk" | cut -f1)
echo "frozen smoke test: built in ${build_s} s, bundle $size"

# Every library a bundled Qt plugin or module links against must resolve inside the bundle
# (system libraries such as libxcb-icccm or libwayland-cursor come from the desktop).
internal="$work/dist/TagDesk/_internal"
missing=$(find "$internal" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 \
  | xargs -0 -r env LD_LIBRARY_PATH="$internal:$internal/PySide6/Qt/lib" ldd 2>/dev/null \
  | grep -E '(libQt6|libpyside6|libshiboken6|libicu|libpython)[^ ]* => not found' | sort -u)
[ -z "$missing" ] || fail "bundled libraries link to Qt/Python libraries left out of the bundle:
$missing"

version=$("$cli" --version 2>&1)
expected="TagDesk $(.venv/bin/python -c 'import desktop; print(desktop.__version__)')"
[ "$version" = "$expected" ] || fail "tagdesk-cli --version said '$version', not '$expected'"

home="$work/home"
rm -rf "$home"
run_self_test() {
  QT_QPA_PLATFORM=offscreen timeout "$RUN_TIMEOUT_S" "$app" --self-test --home "$home" \
    --no-crash-dialog "$@" >"$work/self-test.out" 2>"$work/self-test.err"
}
run_self_test
rc=$?
unexpected=$(grep -Ev "$allowed_stderr" "$work/self-test.err")
if [ "$rc" -ne 0 ] || [ -n "$unexpected" ]; then
  echo "--- stdout" >&2; cat "$work/self-test.out" >&2
  echo "--- stderr" >&2; cat "$work/self-test.err" >&2
  echo "--- log ($home/logs/tagdesk.log)" >&2; cat "$home/logs/tagdesk.log" >&2
  echo "--- re-running with --debug" >&2
  run_self_test --debug
  cat "$work/self-test.out" "$work/self-test.err" >&2
  [ "$rc" -ne 0 ] && fail "the frozen --self-test exited with $rc"
  fail "the frozen --self-test wrote unexpected lines to stderr"
fi
cat "$work/self-test.out"

# Auto-tagging in the bundle: OpenCC's tables, jieba's dictionary and the intent packs load.
printf '%s\n' '{"tags": {"嫌贵": {"keywords": ["太贵", "便宜点", "优惠"]}}}' >"$work/kw.json"
printf '%s\n' '{"id": "1", "customer": "c", "text": "預算不太夠，能便宜點不"}' >"$work/msg.jsonl"
"$cli" autotag classify --keywords "$work/kw.json" --messages "$work/msg.jsonl" \
  --out "$work/pred.jsonl" --home "$home" >"$work/classify.out" 2>&1 \
  || { cat "$work/classify.out" >&2; fail "tagdesk-cli autotag classify failed"; }
grep -q '"labels": \["嫌贵"\]' "$work/pred.jsonl" \
  || fail "tagdesk-cli autotag classify wrote $(cat "$work/pred.jsonl"), not the tag 嫌贵"
echo "frozen smoke test: autotag classify works"
echo "frozen smoke test: passed (build ${build_s} s, bundle $size)"
