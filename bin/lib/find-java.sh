# Sourced by scripts: sets JAVA to a java >= 25 (JAVA_HOME, then PATH, then /usr/lib/jvm), or fails clearly.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
JAVA=""
for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
  [[ -n "$candidate" && -x "$candidate" ]] || continue
  major="$(java_major "$candidate")"
  if [[ "${major%%.*}" =~ ^[0-9]+$ ]] && (( ${major%%.*} >= 25 )); then JAVA="$candidate"; break; fi
done
if [[ -z "$JAVA" ]]; then
  echo "error: no JDK >= 25 found (looked at JAVA_HOME, PATH and /usr/lib/jvm). Install one, e.g. Temurin 25, and set JAVA_HOME." >&2
  exit 1
fi
export JAVA_HOME="$(dirname "$(dirname "$JAVA")")"
