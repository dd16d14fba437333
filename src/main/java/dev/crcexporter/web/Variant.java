package dev.crcexporter.web;

import dev.crcexporter.metrics.CrcExposition.Format;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import java.util.Enumeration;
import java.util.Optional;

/**
 * What a scrape asked for: format, name escaping and compression, decided from {@code Accept} and
 * {@code Accept-Encoding} exactly as client_java's {@code PrometheusScrapeHandler} decides. However many different
 * headers clients send, there are only these few variants (3 formats, 4 escapings, gzip or not), and they are the
 * only key under which anything rendered is kept.
 */
record Variant(Format format, ExpositionFormatWriter writer, EscapingScheme escaping, boolean gzip) {
    /** How many variants there are: {@link #index()} is below. */
    static final int COUNT = Format.values().length * EscapingScheme.values().length * 2;

    /** The variant of a request, or empty when its format is not one that can be joined (OpenMetrics 2, if enabled). */
    static Optional<Variant> of(PrometheusHttpRequest request, ExpositionFormats formats, boolean preferUncompressed) {
        String accept = request.getHeader("Accept");
        ExpositionFormatWriter writer = formats.findWriter(accept);
        boolean gzip = !preferUncompressed && acceptsGzip(request.getHeaders("Accept-Encoding"));
        return Format.of(writer).map(format -> new Variant(format, writer, EscapingScheme.fromAcceptHeader(accept), gzip));
    }

    /** As client_java: any comma-separated token of any Accept-Encoding header that is "gzip" (q-values are not read). */
    private static boolean acceptsGzip(Enumeration<String> headers) {
        while (headers != null && headers.hasMoreElements()) {
            for (String encoding : headers.nextElement().split(",")) {
                if (encoding.trim().equalsIgnoreCase("gzip")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A number of its own for each variant, from 0 to {@link #COUNT} - 1: the slot of its rendered parts. */
    int index() {
        return (format.ordinal() * EscapingScheme.values().length + escaping.ordinal()) * 2 + (gzip ? 1 : 0);
    }

    String contentType() {
        return writer.getContentType();
    }
}
