package dev.crcexporter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crcexporter.metrics.CrcExposition.Format;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PartCacheTest {
    private static final Variant TEXT = new Variant(Format.TEXT, PrometheusTextFormatWriter.create(), EscapingScheme.DEFAULT, false);
    private static final Variant TEXT_GZIP = new Variant(Format.TEXT, TEXT.writer(), EscapingScheme.DEFAULT, true);
    private static final Variant OPENMETRICS = new Variant(Format.OPENMETRICS, OpenMetricsTextFormatWriter.create(),
            EscapingScheme.DEFAULT, false);
    private static final Variant PROTOBUF = new Variant(Format.PROTOBUF, new PrometheusProtobufWriter(), EscapingScheme.DEFAULT, false);

    private final AtomicInteger renderings = new AtomicInteger();

    private PartCache.Renderer bytes(int count) {
        return out -> {
            renderings.incrementAndGet();
            out.write(new byte[count]);
        };
    }

    @Test
    void aPartIsRenderedOncePerSourceAndVariantAndDroppedWithItsSource() throws IOException {
        PartCache cache = new PartCache(1 << 20);
        Object source = new Object();
        Part first = cache.get(source, TEXT, bytes(100_000));
        assertThat(cache.get(source, TEXT, bytes(100_000))).isSameAs(first);
        assertThat(first.length()).isEqualTo(100_000);
        assertThat(first.blocks()).allSatisfy(block -> assertThat(block.length).isLessThanOrEqualTo(Part.BLOCK));
        assertThat(renderings).hasValue(1);

        cache.get(source, TEXT_GZIP, bytes(10));
        assertThat(renderings).hasValue(2);

        Object newer = new Object();
        assertThat(cache.get(newer, TEXT, bytes(5))).isNotSameAs(first);
        assertThat(renderings).hasValue(3);
        assertThat(cache.keptBytes()).as("the old source's parts are gone").isEqualTo(5);
    }

    @Test
    void whatIsKeptNeverExceedsTheBudget() throws IOException {
        PartCache cache = new PartCache(1000);
        Object source = new Object();
        assertThat(cache.get(source, TEXT, bytes(400))).isNotNull();
        assertThat(cache.get(source, OPENMETRICS, bytes(400))).isNotNull();
        assertThat(cache.get(source, PROTOBUF, bytes(400))).as("no room left for a third").isNull();
        assertThat(cache.keptBytes()).isEqualTo(800);

        // Did not fit next to what is kept: not tried again for the same source.
        assertThat(cache.get(source, PROTOBUF, bytes(400))).isNull();
        assertThat(renderings).hasValue(3);
    }

    @Test
    void aPartLargerThanTheWholeBudgetIsNeverKept() throws IOException {
        PartCache cache = new PartCache(1000);
        Object source = new Object();
        assertThat(cache.get(source, TEXT, bytes(1001))).isNull();
        assertThat(cache.keptBytes()).isZero();
        assertThat(cache.get(source, TEXT_GZIP, bytes(1000))).as("the room was given back").isNotNull();
    }

    @Test
    void aFailedRenderingIsNotKept() throws IOException {
        PartCache cache = new PartCache(1000);
        Object source = new Object();
        assertThatThrownBy(() -> cache.get(source, TEXT, out -> {
            throw new IllegalStateException("bug");
        })).hasMessage("bug");
        assertThat(cache.get(source, TEXT, bytes(10)).length()).isEqualTo(10);
        assertThat(cache.keptBytes()).isEqualTo(10);
    }

    @Test
    void concurrentRequestsOfOneVariantWaitForOneRendering() throws Exception {
        PartCache cache = new PartCache(1 << 20);
        Object source = new Object();
        CountDownLatch rendering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Future<Part> first = threads.submit(() -> cache.get(source, TEXT, out -> {
                rendering.countDown();
                renderings.incrementAndGet();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                out.write(new byte[50]);
            }));
            assertThat(rendering.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Part>> others = List.of(
                    threads.submit(() -> cache.get(source, TEXT, bytes(50))),
                    threads.submit(() -> cache.get(source, TEXT, bytes(50))));
            release.countDown();
            Part part = first.get(10, TimeUnit.SECONDS);
            for (Future<Part> other : others) {
                assertThat(other.get(10, TimeUnit.SECONDS)).isSameAs(part);
            }
            assertThat(renderings).hasValue(1);
        } finally {
            threads.shutdownNow();
        }
    }
}
