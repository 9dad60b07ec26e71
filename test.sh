#!/usr/bin/env bash
# The project's test command (README): checks the toolchain, runs every unit test, packages the
# CLI and benchmark jars, and checks that the JMH benchmark list is not silently empty.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
source bin/lib/find-java.sh          # a JDK >= 25 must exist; Maven's toolchains plugin selects it
for tool in mvn npm; do
  command -v "$tool" >/dev/null || { echo "error: '$tool' is not installed (Debian: apt-get install maven npm)" >&2; exit 1; }
done
echo "== unit tests and packaging (JDK: $JAVA_HOME)"
mvn -B -ntp verify
echo "== JMH benchmark list"
benchmarks="$("$JAVA" -jar benchmarks/target/benchmarks.jar -l)"
echo "$benchmarks"
grep -q 'MatmulBenchmark' <<<"$benchmarks" && grep -q 'PrefillBenchmark' <<<"$benchmarks" \
  || { echo "error: the JMH benchmark list is missing benchmarks (annotation processor not run?)" >&2; exit 1; }
