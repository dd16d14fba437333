package dev.crcexporter.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Writes the CRC families of a {@link CrcMetrics.View} in a client_java format, family by family and a slice of
 * {@value #ACCOUNTS_PER_SLICE} accounts at a time, so that memory stays flat whatever the number of accounts:
 * only one slice of one family exists as data points at any moment. The bytes are client_java's own writers'
 * output, joined: the second and later slices of a family lose the header lines the writer repeats (text,
 * OpenMetrics), and in protobuf the slices of a family are merged into one MetricFamily message (its length is
 * counted in a first pass). The output is byte for byte what the writer produces for the whole families at once
 * (CrcExpositionTest), except that OpenMetrics' {@code # EOF} is left out: this is the first part of a scrape, the
 * JVM part follows.
 */
public final class CrcExposition {
    static final int ACCOUNTS_PER_SLICE = 64;
    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
    /** MetricFamily's field number of {@code repeated Metric metric} (io.prometheus.client's metrics.proto). */
    private static final int METRIC_FIELD = 4;

    /** The writers whose output can be cut and joined as described above. */
    public enum Format {
        TEXT, OPENMETRICS, PROTOBUF;

        public static Optional<Format> of(ExpositionFormatWriter writer) {
            if (writer instanceof PrometheusTextFormatWriter) return Optional.of(TEXT);
            if (writer instanceof OpenMetricsTextFormatWriter) return Optional.of(OPENMETRICS);
            if (writer instanceof PrometheusProtobufWriter) return Optional.of(PROTOBUF);
            return Optional.empty();
        }
    }

    /** Writes a scrape piece by piece; each call writes one slice of one family (or less). */
    public interface Cursor {
        /** Writes the next piece to {@code out}; false when everything was written before this call. */
        boolean writeNext(OutputStream out) throws IOException;
    }

    private final CrcMetrics metrics;
    private final int accountsPerSlice;

    public CrcExposition(CrcMetrics metrics) {
        this(metrics, ACCOUNTS_PER_SLICE);
    }

    CrcExposition(CrcMetrics metrics, int accountsPerSlice) {
        this.metrics = metrics;
        this.accountsPerSlice = accountsPerSlice;
    }

    /** Writes everything at once. */
    public void write(CrcMetrics.View view, ExpositionFormatWriter writer, EscapingScheme escaping, OutputStream out)
            throws IOException {
        Cursor cursor = cursor(view, writer, escaping);
        while (cursor.writeNext(out)) {
            // one slice per call
        }
    }

    public Cursor cursor(CrcMetrics.View view, ExpositionFormatWriter writer, EscapingScheme escaping) {
        return cursor(view, writer, escaping, () -> {});
    }

    /**
     * @param afterEachSlice runs after each slice is rendered: protobuf renders a large family whole before its
     *                       first byte (to count its length), which takes seconds with thousands of accounts
     */
    public Cursor cursor(CrcMetrics.View view, ExpositionFormatWriter writer, EscapingScheme escaping, Runnable afterEachSlice) {
        Format format = Format.of(writer).orElseThrow(() -> new IllegalArgumentException("cannot join " + writer));
        return new Slices(view.accounts, metrics.families(), writer, format, escaping, afterEachSlice);
    }

    private final class Slices implements Cursor {
        private final List<AccountView> accounts;
        private final List<Family> families;
        private final ExpositionFormatWriter writer;
        private final Format format;
        private final EscapingScheme escaping;
        private final Runnable afterEachSlice;
        private final Scratch scratch = new Scratch();
        private int family;
        private int slice;
        /** Whether this family's header (text, OpenMetrics) or message length (protobuf) has been written. */
        private boolean started;
        /** Protobuf: the first and the last slice of the current family that have data points. */
        private int firstWithData;
        private int lastWithData;

        Slices(List<AccountView> accounts, List<Family> families, ExpositionFormatWriter writer, Format format,
                EscapingScheme escaping, Runnable afterEachSlice) {
            this.afterEachSlice = afterEachSlice;
            this.accounts = accounts;
            this.families = families;
            this.writer = writer;
            this.format = format;
            this.escaping = escaping;
        }

        @Override
        public boolean writeNext(OutputStream out) throws IOException {
            if (family >= families.size()) {
                return false;
            }
            Family current = families.get(family);
            int slices = current.perAccount() ? Math.max(1, (accounts.size() + accountsPerSlice - 1) / accountsPerSlice) : 1;
            if (format == Format.PROTOBUF && slices > 1 && !started) {
                announceMergedLength(out, current, slices);
                started = true;
                return true;
            }
            render(current, slice);
            int from = 0;
            int to = scratch.size();
            if (format == Format.PROTOBUF) {
                if (slices > 1 && to > 0) {
                    Message message = scratch.message();
                    from = slice == firstWithData ? message.bodyStart() : message.metricsStart();
                    to = slice == lastWithData ? message.end() : message.metricsEnd();
                }
            } else {
                if (format == Format.OPENMETRICS && scratch.endsWith(EOF)) {
                    to -= EOF.length;
                }
                if (started) {
                    from = scratch.afterCommentLines(to);
                }
                started |= to > 0;
            }
            out.write(scratch.array(), from, to - from);
            if (++slice >= slices) {
                family++;
                slice = 0;
                started = false;
            }
            return true;
        }

        /**
         * Protobuf: the slices of a family become one MetricFamily message. The first slice with data gives the
         * fields before the metrics (name, help, type), the last one the fields after them (unit), the others only
         * their metrics: exactly the message client_java writes for the whole family. Its length comes first, so
         * the slices are rendered once to count.
         */
        private void announceMergedLength(OutputStream out, Family current, int slices) throws IOException {
            firstWithData = -1;
            lastWithData = -1;
            long length = 0;
            long lastTail = 0;
            for (int i = 0; i < slices; i++) {
                render(current, i);
                if (scratch.size() == 0) {
                    continue;
                }
                Message message = scratch.message();
                if (firstWithData < 0) {
                    firstWithData = i;
                    length += message.metricsStart() - message.bodyStart();
                }
                lastWithData = i;
                length += message.metricsEnd() - message.metricsStart();
                lastTail = message.end() - message.metricsEnd();
            }
            if (firstWithData >= 0) {
                writeVarint(out, length + lastTail);
            }
        }

        /** Writes one slice of one family into the scratch buffer with client_java's writer. */
        private void render(Family current, int index) throws IOException {
            List<AccountView> part = current.perAccount()
                    ? accounts.subList(Math.min(index * accountsPerSlice, accounts.size()),
                            Math.min((index + 1) * accountsPerSlice, accounts.size()))
                    : accounts;
            scratch.reset();
            writer.write(scratch, MetricSnapshots.of(current.build(part)), escaping);
            afterEachSlice.run();
        }
    }

    private static void writeVarint(OutputStream out, long value) throws IOException {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** A reusable buffer that shows its bytes without copying them. */
    private static final class Scratch extends ByteArrayOutputStream {
        /** Read position of {@link #message()}. */
        private int at;

        Scratch() {
            super(64 * 1024);
        }

        byte[] array() {
            return buf;
        }

        boolean endsWith(byte[] suffix) {
            if (count < suffix.length) {
                return false;
            }
            for (int i = 0; i < suffix.length; i++) {
                if (buf[count - suffix.length + i] != suffix[i]) {
                    return false;
                }
            }
            return true;
        }

        /** Where the first line that is not a comment starts (text formats: samples never start with '#'). */
        int afterCommentLines(int limit) {
            int at = 0;
            while (at < limit && buf[at] == '#') {
                while (at < limit && buf[at] != '\n') {
                    at++;
                }
                at++;
            }
            return Math.min(at, limit);
        }

        /** The layout of the one length-delimited MetricFamily message in the buffer. */
        Message message() {
            at = 0;
            long length = varint();
            int bodyStart = at;
            int metricsStart = -1;
            int metricsEnd = -1;
            while (at < count) {
                int fieldStart = at;
                long tag = varint();
                switch ((int) (tag & 7)) {
                    case 0 -> varint();
                    case 1 -> at += 8;
                    case 2 -> {
                        int fieldLength = (int) varint(); // read before adding: "at += varint()" would add to the old position
                        at += fieldLength;
                    }
                    case 5 -> at += 4;
                    default -> throw new IllegalStateException("unexpected protobuf wire type in " + tag);
                }
                if (tag >>> 3 == METRIC_FIELD) {
                    metricsStart = metricsStart < 0 ? fieldStart : metricsStart;
                    metricsEnd = at;
                }
            }
            if (at != count || count - bodyStart != length || metricsStart < 0) {
                throw new IllegalStateException("unexpected protobuf layout from " + PrometheusProtobufWriter.class.getName());
            }
            return new Message(bodyStart, metricsStart, metricsEnd, count);
        }

        private long varint() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = buf[at++];
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
        }
    }

    /** Offsets in a MetricFamily message: after its length, its repeated {@code metric} fields (4), its end. */
    private record Message(int bodyStart, int metricsStart, int metricsEnd, int end) {}
}
