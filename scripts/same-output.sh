#!/usr/bin/env bash
# Checks that a change leaves every output byte-identical: runs every
# scenario file of the working tree through the `ixsim` of a base revision
# and through the working tree's own, and compares the run CSVs (two
# replications at each scenario's own length and seed) and a sweep CSV.
#
#   scripts/same-output.sh [BASE] [--lessons]
#
# BASE defaults to main; --lessons also compares the `ixsim lesson` reports
# (text for people, so a change of wording or number format shows there).
#
# The base binary is built once per commit (dev profile) in
# $IXSIM_SAME_OUTPUT_CACHE, by default target/same-output/.
# Exit 0 when every output matches, 1 when one differs (the first differing
# line is printed), 2 on usage errors.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"

base=main
lessons=false
for arg in "$@"; do
  case $arg in
    --lessons) lessons=true ;;
    -*) echo "usage: scripts/same-output.sh [BASE] [--lessons]" >&2; exit 2 ;;
    *) base=$arg ;;
  esac
done
rev=$(git rev-parse --verify --quiet "$base^{commit}") || { echo "no such revision: $base" >&2; exit 2; }
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
cache=${IXSIM_SAME_OUTPUT_CACHE:-$target/same-output}
mkdir -p "$cache"

base_bin=$cache/ixsim-$rev
exec 9>"$cache/.lock"
flock 9 # one build of a base at a time, whoever asks
if [ ! -x "$base_bin" ]; then
  tree=$cache/tree-$rev
  rm -rf "$tree"
  git worktree add --detach --quiet "$tree" "$rev"
  (cd "$tree" && CARGO_TARGET_DIR=$cache/build cargo build --quiet --bin ixsim)
  cp "$cache/build/debug/ixsim" "$base_bin"
  git worktree remove --force "$tree"
fi
flock -u 9
cargo build --quiet --bin ixsim
new_bin=$target/debug/ixsim

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
compare() { # name, then the command's arguments
  local name=$1; shift
  "$base_bin" "$@" > "$out/base-$name" 2>&1 || true
  "$new_bin" "$@" > "$out/new-$name" 2>&1 || true
  if cmp -s "$out/base-$name" "$out/new-$name"; then
    echo "same      $name"
  else
    echo "DIFFERENT $name"
    diff "$out/base-$name" "$out/new-$name" | head -4
    status=1
  fi
}
for file in scenarios/*.ron; do
  id=$(basename "$file" .ron)
  compare "run-$id" run "$file" --replications 2
  if $lessons; then compare "lesson-$id" lesson "$file"; fi
done
compare sweep-phishing sweep scenarios/phishing-warnings.ron --days 60 --replications 2 \
  --param model.threshold=0.5:2.5:3 --param experience.forcefulness=0:1:3
exit "$status"
