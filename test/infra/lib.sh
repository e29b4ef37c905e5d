# Shared helpers for the local test infrastructure scripts (test/infra/*/start.sh, stop.sh).
# Source it:  . "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#
# Environment:
#   CDC_SINK_HOME   caches, data dirs, pid and log files (default <repo>/.cache, git-ignored)
#   JAVA_HOME       JDK to run Kafka / Connect with (default: `java` on PATH; needs Java 17+)
#   MVN             Maven command (default: mvn); its local repository stays ~/.m2
# shellcheck shell=bash

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_DIR/../.." && pwd)"
CDC_SINK_HOME="${CDC_SINK_HOME:-$REPO_ROOT/.cache}"
export CDC_SINK_HOME

# log COMPONENT MESSAGE... : timestamped line on stderr
log() {
  local comp="$1"; shift
  printf '%s [%s] %s\n' "$(date +%H:%M:%S)" "$comp" "$*" >&2
}

# die COMPONENT MESSAGE... : log and exit 1
die() {
  log "$@"
  exit 1
}

# port_open HOST PORT : true when something accepts TCP connections there
port_open() {
  local host="$1" port="$2"
  timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

# wait_for_port HOST PORT TIMEOUT_SECONDS [PID] : waits until the port accepts connections;
# gives up early (returns 1) if PID is given and that process has exited.
wait_for_port() {
  local host="$1" port="$2" timeout_s="$3" pid="${4:-}"
  local deadline=$((SECONDS + timeout_s))
  while ((SECONDS < deadline)); do
    if port_open "$host" "$port"; then return 0; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.5
  done
  return 1
}

# pid_alive PIDFILE : true when the file names a running process (prints the pid)
pid_alive() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# stop_pidfile COMPONENT PIDFILE [GRACE_SECONDS] : SIGTERM the process named in PIDFILE, then
# SIGKILL after the grace period; removes the pid file. Idempotent (no file / dead pid: ok).
stop_pidfile() {
  local comp="$1" pidfile="$2" grace="${3:-30}" pid
  if ! pid="$(pid_alive "$pidfile")"; then
    [ -f "$pidfile" ] && log "$comp" "stale pid file $pidfile removed"
    rm -f "$pidfile"
    log "$comp" "not running"
    return 0
  fi
  log "$comp" "stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$comp" "pid $pid still alive after ${grace}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
  log "$comp" "stopped"
}

# java_bin : prints the java executable; fails unless it is Java 17 or newer
java_bin() {
  local java="java"
  [ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
  command -v "$java" >/dev/null 2>&1 || { log java "no java found (set JAVA_HOME or put java on PATH)"; return 1; }
  local major
  major="$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
  major="${major%%.*}"
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    log java "$java is Java ${major:-?}; Kafka 4 needs Java 17+ (set JAVA_HOME)"
    return 1
  fi
  echo "$java"
}

# fetch_maven_deps COMPONENT POM OUTDIR : copies the pom's runtime dependencies into OUTDIR
# (Maven Central, cached in ~/.m2). Skipped when OUTDIR already holds them for this exact pom.
fetch_maven_deps() {
  local comp="$1" pom="$2" outdir="$3"
  local stamp="$outdir/.pom.sha256" want
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  command -v "${MVN:-mvn}" >/dev/null 2>&1 || die "$comp" "Maven (mvn) is needed to fetch jars; install it (apt-get install maven)"
  log "$comp" "fetching jars from Maven Central for $pom into $outdir"
  local t0=$SECONDS tmp="$outdir.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! "${MVN:-mvn}" -q -B -f "$pom" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
    tail -n 40 "$tmp.mvn.log" >&2
    die "$comp" "mvn dependency:copy-dependencies failed for $pom (log above)"
  fi
  rm -f "$tmp.mvn.log"
  echo "$want" >"$tmp/.pom.sha256"
  rm -rf "$outdir"
  mv "$tmp" "$outdir"
  log "$comp" "jars fetched in $((SECONDS - t0))s"
}

# show_log_tail COMPONENT FILE [LINES] : prints the last lines of a log on stderr
show_log_tail() {
  local comp="$1" file="$2" n="${3:-40}"
  if [ -f "$file" ]; then
    log "$comp" "last $n lines of $file:"
    tail -n "$n" "$file" >&2
  fi
}

# http_get URL : prints the body and succeeds only on a 2xx answer (curl, or node's fetch
# when curl is missing); gives up after 10 seconds.
http_get() {
  local url="$1"
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 10 "$url" 2>/dev/null
  else
    node -e '
      fetch(process.argv[1], { signal: AbortSignal.timeout(10000) })
        .then(async (r) => { const t = await r.text(); process.stdout.write(t); process.exit(r.ok ? 0 : 1); })
        .catch(() => process.exit(1));' "$url"
  fi
}

# run_as USER CMD... : runs CMD as USER when we are root (PostgreSQL refuses root), else as ourselves
run_as() {
  local user="$1"; shift
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}
