#!/usr/bin/env bash
# Valid scrapes while threads send wrong passwords to a cost-12 bcrypt user (bench/README.md, "Basic auth under a
# flood of wrong passwords"): src/test/java/dev/crcexporter/bench/BasicAuthFlood.java, an in-process exporter on the
# compiled test classes (as bench/jmh.sh runs its benchmark). it/BasicAuthFloodIT checks what is answered meanwhile;
# this measures how fast the valid scrapes are.
#   bench/basic-auth-flood.sh            # 200 valid scrapes per phase, 16 flooding threads
#   bench/basic-auth-flood.sh 500 32     # SCRAPES THREADS
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    dev.crcexporter.bench.BasicAuthFlood "$@"
