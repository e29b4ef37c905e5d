#!/usr/bin/env bash
# Tries to build a runnable Apicurio Registry (Confluent-compatible API at /apis/ccompat/v7) from Maven
# Central with pom.xml beside this script. Prints what Maven could not resolve and exits 1 when the
# build fails (as it does today: see README.md). Caches in $CDC_SINK_HOME/apicurio.
#
#   bash test/infra/apicurio/try-build.sh                        # registry 3.3.3, Quarkus 3.33.3.1
#   bash test/infra/apicurio/try-build.sh -Dapicurio.version=... -Dquarkus.version=...
#
# Environment: JAVA_HOME (JDK 21+; default /usr/lib/jvm/temurin-25-jdk-amd64 when present).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR/..
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

C=apicurio
BASE="$CDC_SINK_HOME/apicurio"
MAVEN_VERSION=3.9.16
MVN39="$BASE/apache-maven-$MAVEN_VERSION/bin/mvn"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi

mkdir -p "$BASE/build"
if [ ! -x "$MVN39" ]; then
  # The registry's parent POM requires Maven 3.9.8+; Maven itself is on Maven Central.
  log "$C" "fetching Maven $MAVEN_VERSION (the distro's Maven is older than the 3.9.8 the registry's POM requires)"
  command -v "${MVN:-mvn}" >/dev/null || die "$C" "mvn is needed to fetch Maven $MAVEN_VERSION"
  "${MVN:-mvn}" -q -B dependency:copy -Dartifact="org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin" -DoutputDirectory="$BASE" \
    || die "$C" "could not fetch org.apache.maven:apache-maven:$MAVEN_VERSION:tar.gz:bin"
  tar -xzf "$BASE/apache-maven-$MAVEN_VERSION-bin.tar.gz" -C "$BASE"
fi
cp "$INFRA_DIR/apicurio/pom.xml" "$BASE/build/pom.xml"
log "$C" "building the registry in $BASE/build (log $BASE/build/mvn.log)"
if ! "$MVN39" -B -U -s "$INFRA_DIR/apicurio/settings.xml" -f "$BASE/build/pom.xml" package -DskipTests "$@" >"$BASE/build/mvn.log" 2>&1; then
  grep -E 'Could not (find|resolve|transfer)|could not be resolved|not found in' "$BASE/build/mvn.log" | sort -u | head -40 >&2 || true
  die "$C" "the build failed: artifacts above are missing from the Maven repository this machine reaches"
fi
log "$C" "built: java -jar $BASE/build/target/quarkus-app/quarkus-run.jar (-Dquarkus.http.port=...)"
