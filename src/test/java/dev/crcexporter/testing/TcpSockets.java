package dev.crcexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The sockets a process holds, read from Linux's /proc: how tests see connections that a client forgot. */
public final class TcpSockets {
    /** TCP states as /proc/net/tcp writes them (include/net/tcp_states.h). */
    private static final String TIME_WAIT = "06";

    /** One TCP socket: ports, state (hex, "01" established, "08" close-wait, "0A" listen) and inode. */
    public record Entry(int localPort, int remotePort, String state, long inode) {}

    private TcpSockets() {}

    /** File descriptors of {@code pid} that are sockets of any kind (TCP, UDP, Unix). */
    public static int socketDescriptors(long pid) {
        return socketInodes(pid).size();
    }

    /**
     * TCP sockets of {@code pid} connected to {@code remotePort} on any address, in any state but TIME_WAIT
     * (which the kernel keeps after a close for a minute and no process holds).
     */
    public static List<Entry> connectedTo(long pid, int remotePort) {
        Set<Long> own = socketInodes(pid);
        return tcp(pid).stream().filter(e -> e.remotePort() == remotePort && !e.state().equals(TIME_WAIT)
                && own.contains(e.inode())).toList();
    }

    private static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // the descriptor was closed while we listed them
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the descriptors of process " + pid, e);
        }
        return inodes;
    }

    private static List<Entry> tcp(long pid) {
        List<Entry> entries = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            try {
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(1, lines.size())) {
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                    String[] fields = line.trim().split("\\s+");
                    entries.add(new Entry(port(fields[1]), port(fields[2]), fields[3], Long.parseLong(fields[9])));
                }
            } catch (NoSuchFileException noIpv6) {
                // a kernel without IPv6
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return entries;
    }

    private static int port(String hexAddressAndPort) {
        return Integer.parseInt(hexAddressAndPort.substring(hexAddressAndPort.indexOf(':') + 1), 16);
    }
}
