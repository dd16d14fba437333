#!/usr/bin/env bash
# JMH: snapshot -> Prometheus text for 1 and 1,000 accounts. The benchmark is
# src/test/java/dev/crcexporter/bench/ExpositionBenchmark.java, where all the Java code of the benchmarks lives (see
# bench/README.md, "Where things are"): Maven compiles it with the tests, so an API change breaks the build, not the bench.
#   bench/jmh.sh                 # default warm-up/measurement of the benchmark class
#   bench/jmh.sh -wi 1 -i 3      # any JMH option
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main ExpositionBenchmark "$@"
