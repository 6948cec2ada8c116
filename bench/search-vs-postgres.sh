#!/usr/bin/env bash
# Issue 4's search benchmark: Trailwatch beside PostgreSQL 15 on the same generated events
# (dev.trailwatch.bench.SearchVsPostgres; docs/BENCHMARKS.md, "Search beside PostgreSQL").
#
# Usage, from anywhere:  bench/search-vs-postgres.sh [options of SearchVsPostgres...]
#   e.g.                 bench/search-vs-postgres.sh --events 1000000 --runs 20 --dir /tmp/svp
#
# Installs Debian's postgresql-15 when it is missing (as root), builds the bench jar, and runs the
# benchmark with the JDK of JAVA_HOME, else Temurin 25, else `java` on PATH. The benchmark creates
# its own PostgreSQL cluster in a temporary directory and deletes it at the end.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

pg_bin=/usr/lib/postgresql/15/bin
if [ ! -x "$pg_bin/pg_ctl" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "search-vs-postgres: PostgreSQL 15 is not in $pg_bin; install it (apt-get install -y postgresql-15) or pass --pg-bin" >&2
    exit 2
  fi
  apt-get install -y postgresql-15
fi

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
else
  java=java
fi

./mvnw -B -q package -DskipTests -pl bench -am
exec "$java" --enable-native-access=ALL-UNNAMED -cp bench/target/trailwatch-bench.jar \
  dev.trailwatch.bench.SearchVsPostgres "$@"
