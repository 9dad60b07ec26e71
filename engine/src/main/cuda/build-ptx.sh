#!/usr/bin/env bash
# The CUDA build of the kernels, run by Maven at generate-resources (engine/pom.xml):
#   1. nvcc compiles every program of kernels/programs.list (the same source and -D defines the
#      OpenCL build uses) to PTX for compute_80, into OUT/ptx/NAME.ptx, packaged in the jar;
#   2. ptxas assembles each PTX for sm_80, sm_86 and sm_90 as a check, writing registers, shared
#      memory and spills per kernel to REPORT, and fails when a hot kernel (GEMM, attention) spills.
# Without nvcc the build succeeds and says the CUDA backend is unavailable.
# Usage: build-ptx.sh KERNEL_DIR OUT_DIR REPORT
set -euo pipefail
kernels="$1" out="$2" report="$3"
nvcc="${NVCC:-nvcc}" ptxas="${PTXAS:-ptxas}"
archs=(sm_80 sm_86 sm_90)
hot='^(gemm_|attention_)'   # programs whose kernels must not spill

if ! command -v "$nvcc" >/dev/null 2>&1; then
  echo "[cuda] nvcc not found: the CUDA backend will be unavailable (PTX not built; opencl and cpu are unaffected)"
  exit 0
fi
mkdir -p "$out/ptx" "$(dirname "$report")"

# Up to date: every PTX newer than every kernel source, the list and this script.
stamp="$(dirname "$report")/ptx.stamp"
if [[ -f "$stamp" && -f "$report" && -n "$(ls "$out/ptx" 2>/dev/null)" ]] && [[ -z "$(find "$kernels" "$0" -newer "$stamp" -print -quit)" ]]; then
  echo "[cuda] PTX up to date ($(ls "$out/ptx" | grep -c '\.ptx$') programs); ptxas report: $report"
  exit 0
fi

echo "[cuda] $("$nvcc" --version | tail -1)"
programs=()
while read -r name src defines; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  # shellcheck disable=SC2086  # defines are separate words
  "$nvcc" -x cu -ptx -arch=compute_80 -std=c++17 -include "$kernels/prelude.h" $defines \
    -o "$out/ptx/$name.ptx" "$kernels/$src"
  programs+=("$name")
done < "$kernels/programs.list"
echo "[cuda] PTX for ${#programs[@]} programs in $out/ptx"

if ! command -v "$ptxas" >/dev/null 2>&1; then
  echo "[cuda] ptxas not found: PTX built but not checked for registers and spills"
  touch "$stamp"
  exit 0
fi

{
  echo "# ptxas resource report: $("$ptxas" --version | tail -1)"
  echo "# ptxas -arch=ARCH -v --warn-on-spills, PTX from nvcc -arch=compute_80 (engine/src/main/cuda/build-ptx.sh)"
  printf '%-16s %-32s %-6s %9s %10s %12s %11s\n' program kernel arch registers smem_bytes spill_stores spill_loads
} > "$report.tmp"
spilled=0
for name in "${programs[@]}"; do
  for arch in "${archs[@]}"; do
    log="$("$ptxas" -arch="$arch" -v --warn-on-spills "$out/ptx/$name.ptx" -o /dev/null 2>&1)"
    # ptxas prints, per entry: "Function properties for K", "N bytes stack frame, S bytes spill stores,
    # L bytes spill loads", then "Used R registers, ..., M bytes smem".
    while IFS='|' read -r kernel stores loads regs smem; do
      printf '%-16s %-32s %-6s %9s %10s %12s %11s\n' "$name" "$kernel" "$arch" "$regs" "$smem" "$stores" "$loads" >> "$report.tmp"
      if [[ "$name" =~ $hot ]] && (( stores + loads > 0 )); then
        echo "[cuda] ERROR: hot kernel $name/$kernel spills on $arch ($stores bytes stored, $loads loaded)" >&2
        spilled=1
      fi
    done < <(awk '
      /Function properties for/ { k = $NF; gsub(/[^A-Za-z0-9_]/, "", k) }
      /bytes spill stores/ { for (i = 1; i <= NF; i++) { if ($(i+1) == "bytes" && $(i+2) == "spill" && $(i+3) == "stores,") st = $i; if ($(i+1) == "bytes" && $(i+2) == "spill" && $(i+3) == "loads") ld = $i } }
      /Used [0-9]+ registers/ { r = ""; m = 0; for (i = 1; i <= NF; i++) { if ($i == "Used") r = $(i+1); if ($(i+1) == "bytes" && $(i+2) == "smem,") m = $i; if ($(i+1) == "bytes" && $(i+2) == "smem") m = $i } print k "|" st "|" ld "|" r "|" m }
    ' <<<"$log")
  done
done
mv "$report.tmp" "$report"
cat "$report"
if (( spilled )); then
  echo "[cuda] ptxas: a hot kernel spills registers (see above)" >&2
  exit 1
fi
echo "[cuda] ptxas: no spills in the hot kernels (gemm_*, attention_*) on ${archs[*]}; report: $report"
touch "$stamp"
