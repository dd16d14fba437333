# syntax=docker/dockerfile:1
# crc-exporter container image: build the jar with Maven, run it on a JRE as a non-root user.
#   docker build -t crc-exporter .
#   docker run --rm -p 9877:9877 crc-exporter --demo
# See README.md, "Docker", for running it with real credentials.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
# .git is not in the build context (.dockerignore), so crc_exporter_build_info reports no revision.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

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
USER 65532:65532
EXPOSE 9877
ENTRYPOINT ["java", "@/opt/crc-exporter/jvm.options", "-jar", "/opt/crc-exporter/crc-exporter.jar"]
