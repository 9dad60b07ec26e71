#!/usr/bin/env bash
# The project's test command (README): checks the toolchain, installs the OpenCL test devices
# (PoCL, the ICD loader, Oclgrind) when missing, runs every unit test, packages the CLI and
# benchmark jars (nvcc, where present, builds and checks the CUDA kernels), checks that the
# JMH benchmark list is not silently empty, builds the GPU check bundle and dry-runs it offline on
# PoCL (docs/gpu.md), and runs the TTFT regression gate (docs/ttft-gate.md): the working tree timed
# against the pinned reference commit, which it builds from git.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
source bin/lib/find-java.sh          # a JDK >= 25 must exist; Maven's toolchains plugin selects it
for tool in mvn npm; do
  command -v "$tool" >/dev/null || { echo "error: '$tool' is not installed (Debian: apt-get install maven npm)" >&2; exit 1; }
done
echo "== OpenCL test devices: PoCL (OpenCL on the CPU), the ICD loader, Oclgrind (race detection)"
opencl_packages=(pocl-opencl-icd ocl-icd-libopencl1 oclgrind)
command -v dpkg >/dev/null || { echo "error: not a Debian system: install PoCL, an OpenCL ICD loader and Oclgrind (Debian: apt-get install -y ${opencl_packages[*]})" >&2; exit 1; }
missing=()
for p in "${opencl_packages[@]}"; do
  # "installed", not merely known to dpkg (a removed package keeps its config files and a record)
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ "$(id -u)" -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo)
  else
    echo "error: the OpenCL tests need packages that are missing; run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dpkg -s "${opencl_packages[@]}" 2>/dev/null | awk '/^Package:/ {p = $2} /^Version:/ {print "  " p " " $2}'
# The OpenCL and Oclgrind tests fail (instead of being left out) when no OpenCL device is found.
export STEPMEM_REQUIRE_OPENCL=1

echo "== unit tests and packaging (JDK: $JAVA_HOME)"
mvn -B -ntp verify
echo "== bad-input corpus: each case one command, its exit code, one line on stderr, no file changed (tests/bad-input.sh)"
tests/bad-input.sh
echo "== CUDA build: ptxas resource report (registers, shared memory, spills per kernel and arch)"
if [[ -f engine/target/ptxas-report.txt ]]; then
  cat engine/target/ptxas-report.txt
else
  echo "no report: nvcc was not found, so the CUDA backend is unavailable in this build"
fi
echo "== JMH benchmark list"
benchmarks="$("$JAVA" -jar benchmarks/target/benchmarks.jar -l)"
echo "$benchmarks"
grep -q 'MatmulBenchmark' <<<"$benchmarks" && grep -q 'PrefillBenchmark' <<<"$benchmarks" \
  || { echo "error: the JMH benchmark list is missing benchmarks (annotation processor not run?)" >&2; exit 1; }
grep -q 'TtftGateBenchmark' <<<"$benchmarks" \
  || { echo "error: the JMH benchmark list lacks TtftGateBenchmark, which the TTFT gate runs" >&2; exit 1; }

echo "== GPU check bundle: bin/gpu-bundle, then its check as a dry run on PoCL, offline (docs/gpu.md)"
bundle_start=$SECONDS
bin/gpu-bundle
bundle_dir="$(mktemp -d)"
tar -C "$bundle_dir" -xzf target/gpu-bundle/stepmem-gpu-check.tgz
if unshare -n true 2>/dev/null; then offline=(unshare -n); elif unshare -rn true 2>/dev/null; then offline=(unshare -rn)
else echo "error: the bundle's dry run must run without network, and unshare -n is not permitted here" >&2; exit 1; fi
"${offline[@]}" "$bundle_dir/stepmem-gpu-check/check" "$bundle_dir/results" --backend opencl --dry-run >"$bundle_dir/check.log" 2>&1 \
  || { cat "$bundle_dir/check.log"; echo "error: the GPU check's dry run failed (log above)" >&2; exit 1; }
cat "$bundle_dir/results/summary.md"
rm -rf "$bundle_dir"
echo "GPU check bundle and dry run: $((SECONDS - bundle_start)) s"

echo "== TTFT regression gate: the working tree against the pinned reference commit, side by side (docs/ttft-gate.md)"
gate_start=$SECONDS
gate_status=0
# CI services clone shallow: fetch the pinned commit when this clone lacks it (the gate says how, otherwise).
reference_commit="$(sed -n 's/^commit *= *//p' benchmarks/ttft-gate-reference)"
if ! git cat-file -e "${reference_commit}^{commit}" 2>/dev/null && [[ -f "$(git rev-parse --git-dir)/shallow" ]]; then
  echo "fetching the reference commit ${reference_commit:0:12} into this shallow clone"
  git fetch -q --depth=1 origin "$reference_commit" || true
fi
bin/ttft-gate check --report benchmarks/target/ttft-gate-report.md || gate_status=$?
echo "TTFT gate: $((SECONDS - gate_start)) s, reference build included (report also in benchmarks/target/ttft-gate-report.md)"
if ((gate_status != 0)); then
  echo "error: the TTFT regression gate failed (exit $gate_status; 1 = regression, 3 = no verdict): see above." \
    "If a slowdown is intended, move the reference deliberately: bin/ttft-gate refresh --to HEAD --reason \"why\"" >&2
  exit "$gate_status"
fi
