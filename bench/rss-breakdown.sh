#!/usr/bin/env bash
# Where the resident memory of one account goes: the exporter with deploy/jvm.options plus native memory tracking
# and a class-load log, loaded by wrk, then NMT's summary (committed KiB per area) and the loaded classes by origin.
#   bench/rss-breakdown.sh            # one account from the environment
#   CONFIG=yaml bench/rss-breakdown.sh
# NMT itself takes 2-3 MiB; bench/run.sh measures RSS without it.
source "$(dirname "$0")/lib.sh"
need wrk curl python3
DURATION=${DURATION:-10s}

start_upstream 1
config=env
[ "${CONFIG:-env}" = yaml ] && config="$work/config-1.yml"
start_exporter "$config" -XX:NativeMemoryTracking=summary "-Xlog:class+load:file=$work/classes.txt"
wrk_run "http://127.0.0.1:$port/metrics" > /dev/null
echo "RSS after load: $(rss_mib "$exporter_pid") MiB (with NMT)"
echo
jcmd "$exporter_pid" VM.native_memory summary | python3 -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB", line) or re.match(r"^Total: reserved=\d+KB, committed=(\d+)KB", line)
    if m:
        name, kib = (m.group(1), m.group(2)) if m.lastindex == 2 else ("Total committed", m.group(1))
        print("%-28s %7.1f MiB" % (name, int(kib) / 1024))
'
echo
python3 - "$work/classes.txt" <<'PY'
import collections, re, sys
groups = [
    ("JDK, from the CDS archive", lambda c, s: "shared objects file" in s),
    ("JSSE / security (TLS)", lambda c, s: c.startswith(("sun.security", "javax.net.ssl", "javax.crypto", "java.security"))),
    ("java.net.http (upstream client)", lambda c, s: c.startswith(("jdk.internal.net.http", "java.net.http"))),
    ("JMX (jvm_* metrics)", lambda c, s: c.startswith(("javax.management", "sun.management", "jdk.management", "com.sun.management"))),
    ("other JDK", lambda c, s: c.startswith(("java.", "javax.", "jdk.", "sun.", "com.sun."))),
    ("Jetty", lambda c, s: c.startswith("org.eclipse.jetty")),
    ("Javalin + Kotlin", lambda c, s: c.startswith(("io.javalin", "kotlin"))),
    ("Jackson databind/core", lambda c, s: c.startswith("com.fasterxml.jackson") and "yaml" not in c),
    ("YAML (snakeyaml, jackson-dataformat-yaml)", lambda c, s: "yaml" in c.lower()),
    ("client_java", lambda c, s: c.startswith("io.prometheus")),
    ("logback, slf4j", lambda c, s: c.startswith(("ch.qos", "org.slf4j"))),
    ("picocli", lambda c, s: c.startswith("picocli")),
    ("crc-exporter", lambda c, s: c.startswith("dev.crcexporter")),
    ("BouncyCastle, spring-security-crypto", lambda c, s: c.startswith(("org.bouncycastle", "org.springframework"))),
]
counts = collections.Counter()
for line in open(sys.argv[1]):
    m = re.search(r"\] (\S+) source: (.*)$", line)
    if not m:
        continue
    cls, source = m.groups()
    counts[next((name for name, test in groups if test(cls, source)), "other")] += 1
print("%-45s %6s" % ("classes loaded", sum(counts.values())))
for name, _ in groups + [("other", None)]:
    if counts[name]:
        print("  %-43s %6d" % (name, counts[name]))
PY
