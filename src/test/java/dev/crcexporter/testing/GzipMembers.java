package dev.crcexporter.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Splits a gzip body into its members (RFC 1952 allows several, one after the other) and inflates each. */
public final class GzipMembers {
    private GzipMembers() {}

    /** The inflated content of each member, in order; fails on anything but well-formed members with matching CRCs. */
    public static List<byte[]> inflate(byte[] body) throws DataFormatException {
        List<byte[]> members = new ArrayList<>();
        int at = 0;
        while (at < body.length) {
            if (body.length - at < 18 || (body[at] & 0xFF) != 0x1f || (body[at + 1] & 0xFF) != 0x8b
                    || body[at + 2] != 8) {
                throw new DataFormatException("no gzip member at byte " + at);
            }
            if (body[at + 3] != 0) {
                throw new DataFormatException("gzip header flags are not expected from java.util.zip: " + body[at + 3]);
            }
            Inflater inflater = new Inflater(true);
            inflater.setInput(body, at + 10, body.length - at - 10);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("gzip member cut short at byte " + at);
                }
                out.write(buffer, 0, n);
            }
            int end = body.length - inflater.getRemaining();
            inflater.end();
            byte[] content = out.toByteArray();
            CRC32 crc = new CRC32();
            crc.update(content);
            long expected = (body[end] & 0xFFL) | (body[end + 1] & 0xFFL) << 8 | (body[end + 2] & 0xFFL) << 16
                    | (body[end + 3] & 0xFFL) << 24;
            if (crc.getValue() != expected) {
                throw new DataFormatException("CRC mismatch in gzip member at byte " + at);
            }
            members.add(content);
            at = end + 8;
        }
        return members;
    }

    public static byte[] inflateAll(byte[] body) throws DataFormatException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] member : inflate(body)) {
            all.writeBytes(member);
        }
        return all.toByteArray();
    }
}
