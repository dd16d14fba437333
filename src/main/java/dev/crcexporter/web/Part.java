package dev.crcexporter.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rendered bytes of one part of a scrape (the CRC families, or the JVM ones), in blocks of at most
 * {@value #BLOCK} bytes: no large contiguous array is ever allocated, grown or copied.
 */
record Part(List<byte[]> blocks, long length) {
    static final int BLOCK = 64 * 1024;

    /** Thrown by {@link Builder} at the first byte beyond its limit; no stack trace, it is expected. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("larger than the space left for rendered scrapes");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Collects what a writer renders, up to a limit. */
    static final class Builder extends OutputStream {
        private final long limit;
        private final List<byte[]> blocks = new ArrayList<>();
        private byte[] current;
        private int position;
        private long length;

        Builder(long limit) {
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (length + count > limit) {
                throw new TooLarge();
            }
            length += count;
            while (count > 0) {
                if (current == null || position == current.length) {
                    current = new byte[BLOCK];
                    blocks.add(current);
                    position = 0;
                }
                int n = Math.min(count, current.length - position);
                System.arraycopy(bytes, offset, current, position, n);
                position += n;
                offset += n;
                count -= n;
            }
        }

        Part build() {
            List<byte[]> sealed = new ArrayList<>(blocks);
            if (current != null && position < current.length) {
                sealed.set(sealed.size() - 1, Arrays.copyOf(current, position));
            }
            return new Part(List.copyOf(sealed), length);
        }
    }

    /** The blocks, one after the other. */
    Pieces pieces() {
        return new Pieces() {
            private int next;

            @Override
            public ByteBuffer next() {
                return next < blocks.size() ? ByteBuffer.wrap(blocks.get(next++)) : null;
            }
        };
    }
}
