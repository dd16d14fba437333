package dev.crcexporter.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A response body as pieces, asked for one at a time by whoever sends it, when the connection can take the next:
 * a piece may be rendered just in time, and may reuse the buffer of the one before.
 */
interface Pieces {
    /** The next piece, or null after the last. */
    ByteBuffer next() throws IOException;

    static Pieces of(byte[] bytes) {
        return new Pieces() {
            private boolean sent;

            @Override
            public ByteBuffer next() {
                if (sent) {
                    return null;
                }
                sent = true;
                return ByteBuffer.wrap(bytes);
            }
        };
    }

    static Pieces concat(List<Pieces> parts) {
        return new Pieces() {
            private int index;

            @Override
            public ByteBuffer next() throws IOException {
                while (index < parts.size()) {
                    ByteBuffer piece = parts.get(index).next();
                    if (piece != null) {
                        return piece;
                    }
                    index++;
                }
                return null;
            }
        };
    }
}
