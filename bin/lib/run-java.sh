# Sourced by the launchers after find-java.sh. `run_java ARGS...` runs "$JAVA" ARGS and exits with
# its exit code. With --add-modules jdk.incubator.vector the JVM prints "WARNING: Using incubator
# modules: jdk.incubator.vector" as its first line on stderr; that one line is dropped, so an error
# stays one line. Everything else on stderr passes through unchanged and unbuffered (progress bars
# included), and is all printed before run_java returns. TERM, HUP and INT are passed on to java.
drop_incubator_warning() {
  trap '' INT              # a Ctrl-C stops java, which then closes the pipe; print what it said last
  local first
  if IFS= read -r first; then
    [[ "$first" == "WARNING: Using incubator modules: "* ]] || printf '%s\n' "$first"
  elif [[ -n "$first" ]]; then
    printf '%s' "$first"   # a last line without its newline
  fi
  exec cat
}

run_java() {
  local arg incubator=0
  for arg in "$@"; do
    [[ "$arg" == jdk.incubator.vector ]] && incubator=1
  done
  ((incubator)) || exec "$JAVA" "$@"
  exec 3>&2 2> >(drop_incubator_warning >&3)
  local filter=$!
  "$JAVA" "$@" <&0 &       # in the background so that signals reach the trap; stdin stays the user's
  local java=$! status=0
  trap 'kill -TERM "$java" 2>/dev/null || true' TERM HUP
  trap 'kill -INT "$java" 2>/dev/null || true' INT
  while :; do
    wait "$java" && status=0 || status=$?
    kill -0 "$java" 2>/dev/null || break   # wait also returns when a trap ran: java may still be running
  done
  exec 2>&3 3>&-           # the filter sees the end of its input once java and this shell let go of it
  wait "$filter" 2>/dev/null || true
  exit "$status"
}
