#!/usr/bin/env bash
# The bad-input corpus (README, "Bad input and exit codes"). Each case runs one command on one bad
# input and checks: its exit code; that it printed nothing on stdout and exactly one line on stderr,
# matching the case's pattern; and that no file changed, in the case's sandbox (where the inputs
# are and where default outputs would go) or in the repository's results/ and plots/.
# Needs the jars of `mvn package`. Run from anywhere: tests/bad-input.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source bin/lib/find-java.sh
for jar in engine/target/stepmem.jar datasets/target/stepmem-datasets.jar plots/target/stepmem-plots.jar \
    benchmarks/target/benchmarks.jar; do
  [[ -f "$jar" ]] || { echo "error: $jar is missing: run mvn -B -ntp package first" >&2; exit 1; }
done
sandbox="$(mktemp -d)" scratch="$(mktemp -d)"
trap 'rm -rf "$sandbox" "$scratch"' EXIT
start=$SECONDS
export STEPMEM_JAVA_OPTS="${STEPMEM_JAVA_OPTS:-} -XX:TieredStopAtLevel=1"   # short runs: start fast, no C2

stepmem() { "$root/bin/stepmem" "$@"; }
datasets() { "$root/bin/datasets" "$@"; }
plots() { "$JAVA" -XX:TieredStopAtLevel=1 -Djava.awt.headless=true -jar "$root/plots/target/stepmem-plots.jar" "$@"; }
sweeps() {   # the figure sweeps' runner, through the launchers' shared helper (as reproduce.sh runs it)
  ( source "$root/bin/lib/run-java.sh"
    run_java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
      -cp "$root/benchmarks/target/benchmarks.jar" dev.stepmem.bench.sweep.SweepMain "$@" )
}

# ---- inputs -------------------------------------------------------------------------------------
cd "$sandbox"
header="$(head -n 1 "$root/results/results-quick.csv")"
fig1_fraction="$(grep -m 1 '^fig1[^,]*,.*,memory_fraction,' "$root/results/results-quick.csv")"
fig1_attention="$(grep '^fig1[^,]*,.*,mem_attention,' "$root/results/results-quick.csv")"
printf '%s\n%s\n' "$header" "$fig1_fraction" >good.csv
sed 's/,memory_fraction,/,memory_share,/' good.csv >unknown-metric.csv
printf '%s\n%s\n' "$header" "$(sed -E 's/(,memory_fraction,-?[0-9]+,-?[0-9]+,)[^,]*,/\1NaN,/' <<<"$fig1_fraction")" >nan.csv
printf '%s\n%s\n' "$header" "$(sed -E 's/(,memory_fraction,-?[0-9]+,-?[0-9]+,)[^,]*,/\1-1e308,/' <<<"$fig1_fraction")" >fraction.csv
head -c -2 good.csv >torn.csv                                 # final byte and newline missing
{ printf '\xef\xbb\xbf'; cat good.csv; } >bom.csv
printf '%s\n%s\n' "$header" "$fig1_attention" >fig1-no-fractions.csv   # Fig 1b and Fig 6 cannot be drawn
printf 'source,backend,profile,profile_sha256,model\nmodeled,sim,a800,0,llama2-7b\n' >run-records.csv
cp -r "$root/plots" old-plots && cp "$root/results/REPORT.md" old-REPORT.md   # a previous run's output
cp good.csv results26.csv
# llama2.c headers (7 little-endian int32: dim hidden layers heads kv_heads vocab seq_len)
printf '\x00\x00\x00\x40\x00\x00\x00\x40\x00\x00\x00\x40\x00\x00\x00\x20\x00\x00\x00\x20\x00\x00\x00\x40\x00\x00\x00\x40' >huge.bin
printf '\x20\x01\x00\x00\x00\x03\x00\x00\x06\x00\x00\x00\x06\x00\x00\x00\x06\x00\x00\x00\x00\x7d\x00\x00\x00\x01\x00\x00' >short.bin
head -c 4096 /dev/zero >>short.bin                            # stories15M's header, 4 KiB of its 58 MB
mkdir hf && printf '{"model_type":"llama","hidden_size":8,"intermediate_size":16,"num_hidden_layers":1,"num_attention_heads":2,"vocab_size":32,"max_position_embeddings":64,"rms_norm_eps":1e-5}\n' >hf/config.json
printf '\x00\x00\x00\x00\x00\x00\x00\x10{}' >hf/model.safetensors   # header length 2^60
printf '{"model": {"type": "BPE", "vocab": {' >broken-tokenizer.json
head -c 10 /dev/zero >broken-tokenizer.bin
mkdir broken-profiles && printf 'name = "x"\nmemory = "lots"\n' >broken-profiles/x.toml
printf '{"text": "one"}\n{"text": "two"\n' >broken.jsonl
printf 'not a folder\n' >not-a-folder
mkdir empty-data
head -c 8000000 /dev/zero | tr '\0' 'a' >big.txt
cd "$root"

# ---- the check ----------------------------------------------------------------------------------
passed=0 failed=0
snapshot() {
  (cd "$sandbox" && find . -type d | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  find results plots -type f -print0 | sort -z | xargs -0 sha256sum
}
# check NAME EXIT_CODE PATTERN -- COMMAND...: PATTERN is an extended regex for the one stderr line.
check() {
  local name="$1" want="$2" pattern="$3" code=0 before after line
  shift 4
  before="$(snapshot)"
  (cd "$sandbox" && "$@") >"$scratch/out" 2>"$scratch/err" </dev/null || code=$?
  after="$(snapshot)"
  local problem=""
  if ((code != want)); then
    problem="exit code $code, expected $want"
  elif [[ -s "$scratch/out" ]]; then
    problem="printed on stdout: $(head -c 300 "$scratch/out")"
  elif [[ "$(wc -l <"$scratch/err")" -ne 1 ]]; then
    problem="$(wc -l <"$scratch/err") lines on stderr, expected 1: $(head -c 600 "$scratch/err")"
  elif line="$(cat "$scratch/err")"; ! [[ "$line" =~ $pattern ]]; then
    problem="stderr '$line' does not match /$pattern/"
  elif [[ "$before" != "$after" ]]; then
    problem="files changed: $(diff <(echo "$before") <(echo "$after") | head -5 | tr '\n' ' ')"
  fi
  if [[ -z "$problem" ]]; then
    passed=$((passed + 1))
    printf '  ok    %-44s exit %d  %s\n' "$name" "$code" "$(cut -c1-110 "$scratch/err")"
  else
    failed=$((failed + 1))
    printf '  FAIL  %-44s %s\n' "$name" "$problem"
  fi
}

echo "sizes beyond the machine: exit 3 before allocating"
check prefill-huge-length 3 '^error: -L 2147483647 \(the input.s token ids\) needs 8\.00 GiB of Java heap; this JVM has .* GiB' -- stepmem prefill -L 2147483647
check generate-max-steps 3 '^error: generate -n 2147483647 .* needs [0-9.]+ GiB of memory; this machine has [0-9.]+ GiB available$' -- stepmem generate -p hi -n 2147483647
check generate-million-steps 3 '^error: generate -n 1000000 .* needs [0-9.]+ GiB of memory; this machine has' -- stepmem generate -p hi -n 1000000
check prefill-ppl-full-kv 3 '^error: --ppl at L = 100000000 \(the full-attention reference .*\) needs [0-9.]+ GiB of memory' -- stepmem prefill -L 100000000 -c 4096 --memory 64 --ppl
check out-of-memory-anyway 3 '^error: ran out of memory( \(Java heap space\))?: this run needs more than this machine or JVM has' -- env STEPMEM_JAVA_OPTS=-Xmx8m "$root/bin/stepmem" generate -p hi -n 8
check input-larger-than-heap 3 '^error: --input big\.txt needs [0-9.]+ MiB of Java heap; this JVM has' -- env STEPMEM_JAVA_OPTS=-Xmx16m "$root/bin/stepmem" prefill -L 600 --input big.txt
check threads-99999 2 "^error: --threads must be between 1 and [0-9]+ \(4 per core on this machine\), got 99999 \(see 'stepmem prefill --help'\)$" -- stepmem prefill -L 600 --threads 99999
check calibrate-threads-0 2 "^error: --threads must be between 1 and .*see 'stepmem calibrate --help'" -- stepmem calibrate --threads 0

echo "untrusted bytes: overflow-safe sizes, one line naming the file"
check llama2c-2p30-header 1 '^error: .*huge\.bin: header is not a llama2\.c checkpoint: its sizes .* describe more than 2\^63 bytes$' -- stepmem info -m huge.bin
check llama2c-truncated 1 '^error: .*short\.bin: truncated: the header \(dim 288, .*\) needs 60816028 bytes, the file has 4124$' -- stepmem info -m short.bin
check safetensors-header-2p60 1 '^error: .*model\.safetensors: header length 1152921504606846976 does not fit a file of 10 bytes' -- stepmem info -m hf
check tokenizer-json-broken 1 'broken-tokenizer\.json' -- stepmem generate -p hi -n 8 -z broken-tokenizer.json
check tokenizer-bin-truncated 1 'broken-tokenizer\.bin' -- stepmem generate -p hi -n 8 -z broken-tokenizer.bin
check profile-toml-broken 1 '^error: profile .*broken-profiles/x\.toml' -- stepmem profiles --profiles-dir broken-profiles
check jsonl-broken 1 '^error: broken\.jsonl:2: not a valid JSON line: ' -- datasets sample --jsonl broken.jsonl -n 1 -L 2

echo "flags: every value checked, whatever the other flags; one line and a pointer to --help (exit 2)"
check function-cubic-with-fm 2 "^error: unknown --function 'cubic'; valid: .* \(see 'stepmem prefill --help'\)$" -- stepmem prefill -L 512 --method fm --function cubic
check length-not-a-number 2 "^error: Invalid value for option '--length': 'abc' is not an int \(see 'stepmem prefill --help'\)$" -- stepmem prefill -L abc
check unknown-option 2 "^error: Unknown option: '--bogus' \(see 'stepmem prefill --help'\)$" -- stepmem prefill -L 600 --bogus
check memory-limit-lots 2 "^error: --memory-limit 'lots' is not a size .*see 'stepmem prefill --help'" -- stepmem prefill -L 600 --memory-limit lots
check top-p-2 2 "^error: --top-p must be in \(0, 1\], got 2\.0 \(see 'stepmem generate --help'\)$" -- stepmem generate -p hi --top-p 2
check sim-without-profile 2 "^error: --backend sim needs --profile NAME .*see 'stepmem prefill --help'" -- stepmem prefill -L 600 --backend sim
check profile-without-sim 2 "^error: --profile applies to --backend sim, not cpu \(see 'stepmem prefill --help'\)$" -- stepmem prefill -L 600 --profile a800-80gb
check sim-activations-bogus 2 "^error: .*'f8'.*see 'stepmem prefill --help'" -- stepmem prefill -L 600 --sim-activations f8
check sweep-bad-method 2 "^error: .*'fx'.*see 'stepmem sweep --help'" -- stepmem sweep --methods fm,fx
check frontier-vary-size 2 "^error: --vary must be length or memory, got 'size' \(see 'stepmem frontier --help'\)$" -- stepmem frontier --vary size
check synthetic-unknown-preset 2 "^error: unknown model preset 'gpt5'.*see 'stepmem info --help'" -- stepmem info --synthetic gpt5
check profiles-dir-is-a-file 2 "^error: profiles folder not-a-folder is a file, not a folder \(see 'stepmem profiles --help'\)$" -- stepmem profiles --profiles-dir not-a-folder
check calibrate-reps-0 2 "^error: --reps must be at least 1, got 0 \(see 'stepmem calibrate --help'\)$" -- stepmem calibrate --reps 0
check datasets-unknown-domain 2 "^error: unknown domain 'poetry': choose one of github, arxiv, books \(see 'datasets sample --help'\)$" -- datasets sample --domain poetry --data empty-data
check datasets-build-unknown-domain 2 "^error: unknown domain 'poetry'.*see 'datasets build --help'" -- datasets build --domain poetry --data empty-data
check datasets-zero-samples 2 "^error: -n \(documents\) must be at least 1, got 0 \(see 'datasets sample --help'\)$" -- datasets sample --domain books -n 0 --data empty-data
check datasets-build-zero-tokens 2 "^error: --tokens must be at least 1, got 0 \(see 'datasets build --help'\)$" -- datasets build --tokens 0 --data empty-data
check sweeps-scale-banana 2 "^error: unknown --scale 'banana' .*see 'sweep --help'" -- sweeps --scale banana --results r.csv
check sweeps-unknown-sweep 2 "^error: unknown sweep 'fig3' .*see 'sweep --help'" -- sweeps --sweep fig3 --results r.csv
check reproduce-scale-banana 2 "^reproduce\.sh: --scale must be quick or paper, got 'banana' \(see --help\)$" -- "$root/reproduce.sh" --scale banana
check reproduce-only-fig3 2 "^reproduce\.sh: --only: unknown sweep 'fig3'" -- "$root/reproduce.sh" --only fig3
check reproduce-device-tpu 2 "^reproduce\.sh: --device: 'tpu' is not cpu" -- "$root/reproduce.sh" --device tpu
check reproduce-missing-value 2 "^reproduce\.sh: --scale needs a value \(see --help\)$" -- "$root/reproduce.sh" --scale

echo "preconditions before work: a failing command writes nothing"
check ppl-chunk-above-length-csv 2 "^error: perplexity needs L - c >= 5 tokens of prefix .*, got L = 512, c = 100000 \(see 'stepmem prefill --help'\)$" -- stepmem prefill -L 512 -c 100000 --ppl --csv new-runs.csv
check calibrate-unwritable 1 '^error: --output /proc/stepmem/cpu-host\.toml: cannot write into /proc \(no file can be created there\)$' -- stepmem calibrate -o /proc/stepmem/cpu-host.toml
check calibrate-output-is-a-folder 1 '^error: --output empty-data: is a folder, expected a file$' -- stepmem calibrate -o empty-data
check prefill-csv-other-schema 1 '^error: results26\.csv: is a stepmem results file \(26 columns, the sweeps. schema\), not a stepmem run-record CSV' -- stepmem prefill -L 600 --csv results26.csv
check sweep-csv-other-schema 1 '^error: results26\.csv: is a stepmem results file \(26 columns' -- stepmem sweep --memories 256 --csv results26.csv
check prefill-csv-torn 1 '^error: torn\.csv: the last line has no final newline' -- stepmem prefill -L 600 --csv torn.csv
check sweeps-results-foreign 1 "^error: run-records\.csv: line 1, column 1: expected header 'sweep', found 'source'" -- sweeps --sweep fig2 --results run-records.csv
check plots-failed-figure-keeps-output 1 '^error: fig1b-memory-distribution: Fig 1b: no rows with metric memory_fraction .*\(nothing was written\)$' -- plots fig1-no-fractions.csv --out old-plots --report old-REPORT.md
check plots-out-unwritable 1 '^error: --out /proc/stepmem-plots: cannot write into /proc ' -- plots good.csv --out /proc/stepmem-plots

echo "the results reader refuses what it cannot trust"
check plots-unknown-metric 1 "^error: unknown-metric\.csv: line 2, column 'metric': unknown metric 'memory_share' \(known: " -- plots unknown-metric.csv --out out
check plots-nan 1 "^error: nan\.csv: line 2, column 'value': 'NaN' is not a number" -- plots nan.csv --out out
check plots-fraction-minus-1e308 1 "^error: fraction\.csv: line 2, column 'value': '-1\.0E308' is outside memory_fraction's range \[0, 1\]$" -- plots fraction.csv --out out
check plots-torn-last-line 1 '^error: torn\.csv: the last line has no final newline' -- plots torn.csv --out out
check plots-bom 1 '^error: bom\.csv: starts with a UTF-8 byte-order mark \(BOM\); save it as UTF-8 without one$' -- plots bom.csv --out out
check plots-foreign-header 1 "^error: run-records\.csv: line 1, column 1: expected header 'sweep', found 'source' \(not a stepmem results file\?\)$" -- plots run-records.csv --out out

total=$((passed + failed))
echo "bad-input corpus: $total cases in $((SECONDS - start)) s"
echo "$passed passed, $failed failed"
((failed == 0))
