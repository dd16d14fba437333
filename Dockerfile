# syntax=docker/dockerfile:1
# crc-exporter container image: build the jar with Maven, run it on a JRE as a non-root user.
#   docker build -t crc-exporter .
#   docker run --rm -p 9877:9877 crc-exporter --demo
# See docs/deployment.md, "Docker", for running it with real credentials.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# .git is not in the build context (.dockerignore), so crc_exporter_build_info reports no revision.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

# Java 17: what the tests and bench/ figures run on (see upstream/HttpClientShutdown before moving to a newer one).
FROM eclipse-temurin:17-jre
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="crc-exporter" \
      org.opencontainers.image.description="Prometheus exporter for Cloud Room Connector (CRC) port usage" \
      org.opencontainers.image.source="https://github.com/crc-exporter/crc-exporter" \
      org.opencontainers.image.licenses="NOASSERTION" \
      org.opencontainers.image.version="${VERSION}"
RUN groupadd --system --gid 65532 crc-exporter \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin crc-exporter
COPY --from=build /src/target/crc-exporter.jar /opt/crc-exporter/crc-exporter.jar
COPY deploy/jvm.options /opt/crc-exporter/jvm.options
# Application class-data sharing: a training run (the demo, polled once and scraped once) records the classes
# it loads; every start then maps them instead of loading them (start to ready about 1.1s -> 0.7s, see bench/).
SHELL ["/bin/bash", "-c"]
RUN java @/opt/crc-exporter/jvm.options -XX:ArchiveClassesAtExit=/opt/crc-exporter/crc-exporter.jsa \
        -jar /opt/crc-exporter/crc-exporter.jar --demo --web.listen-address=127.0.0.1:9877 & pid=$!; \
    get() { exec 3<>/dev/tcp/127.0.0.1/9877 && printf 'GET %s HTTP/1.0\r\n\r\n' "$1" >&3 && cat <&3; }; \
    for i in $(seq 1 300); do (get /-/ready 2>/dev/null | grep -q '^Ready') && break; sleep 0.1; done; \
    (get /-/ready | grep -q '^Ready') || { echo "training run never became ready" >&2; exit 1; }; \
    get /metrics >/dev/null; get / >/dev/null; \
    kill "$pid"; wait "$pid" || true; \
    test -s /opt/crc-exporter/crc-exporter.jsa
USER 65532:65532
EXPOSE 9877
ENTRYPOINT ["java", "@/opt/crc-exporter/jvm.options", "-XX:SharedArchiveFile=/opt/crc-exporter/crc-exporter.jsa", "-jar", "/opt/crc-exporter/crc-exporter.jar"]
