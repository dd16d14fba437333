package dev.crcexporter.testing;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.web.ListenAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** Starts exporters on loopback port 0, scrapes them over HTTP, and closes them all afterwards. */
public final class ExporterFixture implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    public Exporter start(ExporterConfig config, Clock clock) {
        Exporter exporter = Exporter.start(config, new ListenAddress("127.0.0.1", 0), "/metrics", clock);
        toClose.add(exporter);
        return exporter;
    }

    public <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    public HttpResponse<String> get(Exporter exporter, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + path))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public String metrics(Exporter exporter) {
        return get(exporter, "/metrics").body();
    }

    /** The value of the one sample whose line starts with {@code series} (name and labels, as exposed). */
    public static OptionalDouble value(String metricsText, String series) {
        return metricsText.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst();
    }

    public double errors(Exporter exporter, String account, String reason) {
        return value(metrics(exporter), "crc_exporter_poll_errors_total{account=\"" + account + "\",reason=\"" + reason + "\"}")
                .orElse(0);
    }

    @Override
    public void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        toClose.clear();
    }
}
