package dev.crcexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crcexporter.Exporter;
import dev.crcexporter.config.AccountConfig;
import dev.crcexporter.config.ExporterConfig;
import dev.crcexporter.config.RequestMethod;
import dev.crcexporter.config.RetryConfig;
import dev.crcexporter.config.Secret;
import dev.crcexporter.config.Shard;
import dev.crcexporter.config.ZoomConfig;
import dev.crcexporter.reload.ConfigReloader;
import dev.crcexporter.web.toolkit.ListenAddress;
import dev.crcexporter.web.toolkit.WebConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/** Starts exporters on loopback port 0, scrapes them over HTTP, and closes them all afterwards. */
public final class ExporterFixture implements AutoCloseable {
    private static final ListenAddress LOOPBACK_ANY_PORT = new ListenAddress("127.0.0.1", 0);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    public Exporter start(ExporterConfig config, Clock clock) {
        return start(config, WebConfig.NONE, clock);
    }

    /** With a web configuration (TLS, basic auth, headers). */
    public Exporter start(ExporterConfig config, WebConfig webConfig, Clock clock) {
        return start(config, webConfig, Optional.empty(), clock, () -> config, () -> webConfig);
    }

    /**
     * As the command line starts it with the hourly series, on loopback port 0 with {@code /metrics}: {@code config} is
     * {@code shard}'s share of the accounts, and a reload reads {@code configSource} (before the shard's selection) and
     * {@code webSource}.
     */
    public Exporter start(ExporterConfig config, WebConfig webConfig, Optional<Shard> shard, Clock clock,
            ConfigReloader.ConfigSource configSource, ConfigReloader.WebConfigSource webSource) {
        return closeLater(Exporter.start(config, LOOPBACK_ANY_PORT, webConfig, "/metrics", clock, shard, true,
                configSource, webSource));
    }

    /**
     * An exporter of {@code count} accounts {@code account-0}.. (keys {@code key-0}.., secret "secret", capacity 40),
     * each with 24 hours on 2026-11-25 and 2026-11-26 at {@code upstream}, in Asia/Shanghai; returned once every
     * account has been polled, successfully.
     */
    public Exporter startWithFullDays(FakeCrcApi upstream, int count, Clock clock) {
        List<AccountConfig> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            upstream.account("key-" + i, "secret", List.of(Days.peakingAtTen("2026-11-25", 10 + i % 30),
                    Days.peakingAtTen("2026-11-26", 12 + i % 25)));
            accounts.add(new AccountConfig("account-" + i, "key-" + i, new Secret("secret"), OptionalInt.of(40)));
        }
        Exporter exporter = start(new ExporterConfig(upstream.url(), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                Duration.ofHours(1), Duration.ofSeconds(5), 8,
                new RetryConfig(1, Duration.ofSeconds(1), Duration.ofSeconds(1)), accounts, ZoomConfig.DEFAULT), clock);
        awaitReady(exporter, Duration.ofSeconds(60));
        // Polled once an hour: up now means up for the test.
        assertThat(accounts(exporter)).as("every account up").hasSize(count)
                .allSatisfy((name, state) -> assertThat(state.up()).as(name).isTrue());
        return exporter;
    }

    /** Closed by {@link #close()}, before everything registered earlier. */
    public synchronized <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    /** GET over plain HTTP; {@code headers} are name, value, name, value... */
    public HttpResponse<String> get(Exporter exporter, String path, String... headers) {
        return send(exporter, path, HttpResponse.BodyHandlers.ofString(), headers);
    }

    public <T> HttpResponse<T> send(Exporter exporter, String path, HttpResponse.BodyHandler<T> handler,
            String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporter.port() + path))
                .timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), handler);
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

    /** The value of {@code series} (name and labels, as exposed) in a text exposition, if it has that sample. */
    public static OptionalDouble value(String metricsText, String series) {
        Double value = samples(metricsText).get(series);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /**
     * Every sample of a text exposition: its series (name and labels, as exposed) to its value, in the exposition's
     * order.
     */
    public static Map<String, Double> samples(String metricsText) {
        Map<String, Double> samples = new LinkedHashMap<>();
        metricsText.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            int space = line.lastIndexOf(' ');
            samples.putIfAbsent(line.substring(0, space), number(line.substring(space + 1)));
        });
        return samples;
    }

    /** A sample value as the text formats write it: Go's spelling of the infinities, which Java does not parse. */
    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** Every account as one scrape of {@code /metrics} shows it, by name. */
    public Map<String, AccountState> accounts(Exporter exporter) {
        return AccountState.all(metrics(exporter));
    }

    /** {@code account} as one scrape of {@code /metrics} shows it; an AssertionError if the scrape does not show it. */
    public AccountState account(Exporter exporter, String account) {
        AccountState state = accounts(exporter).get(account);
        if (state == null) {
            throw new AssertionError("account " + account + " is not exposed");
        }
        return state;
    }

    /** Waits until {@code /-/ready} answers 200: every account has finished its first poll. */
    public void awaitReady(Exporter exporter, Duration bound) {
        Poll.until(bound, "ready", () -> get(exporter, "/-/ready").statusCode() == 200);
    }

    /**
     * The landing page's cards in the page's order (the configured one, up to a page of accounts), each with its last
     * error as a user reads it: "reason: message (age ago...)", or "none". Viewing the page has the exporter fetch the
     * accounts' last month (see HistoryRefresher): upstream requests of its own.
     */
    public Map<String, String> landingPageCards(Exporter exporter) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (Element card : Jsoup.parse(get(exporter, "/").body()).select("section.card")) {
            errors.put(card.attr("data-account"), card.select("dt:containsOwn(Last error) + dd").text());
        }
        return errors;
    }

    /** Closes everything in reverse order; one failing close does not keep the others open. */
    @Override
    public synchronized void close() throws Exception {
        closeAll(toClose);
    }

    /**
     * Closes {@code resources} last first, all of them, and clears the list; the first failure is thrown, the others
     * suppressed.
     */
    public static void closeAll(List<? extends AutoCloseable> resources) throws Exception {
        Exception failure = null;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
