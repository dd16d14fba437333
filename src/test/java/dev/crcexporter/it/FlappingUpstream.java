package dev.crcexporter.it;

import dev.crcexporter.demo.ApiAnswers;
import dev.crcexporter.testing.FakeCrcApi;
import dev.crcexporter.testing.FakeCrcApi.Framing;
import dev.crcexporter.testing.FakeCrcApi.Request;
import dev.crcexporter.testing.FakeCrcApi.Response;
import dev.crcexporter.upstream.DailyUsage;
import dev.crcexporter.upstream.HourUsage;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * SoakIT's upstream: the seed API for accounts {@code key-NAME} / {@code secret-NAME}, answering a third of the
 * requests as documented and the rest with one failure mode each, picked at random (seeded), and remembering when it
 * built each successful answer.
 */
final class FlappingUpstream {
    enum Mode { SUCCESS, SLOW, RATE_LIMITED, HTTP_500, API_ERROR, MALFORMED, HUGE, ENDLESS, CUT_SHORT }

    private final FakeCrcApi upstream;
    private final Random random = new Random(42);
    private final String huge;
    private final Map<Mode, AtomicLong> answers = new EnumMap<>(Mode.class);
    /**
     * Per account: when the upstream built a successful answer (epoch millis); the exporter may still time out on it.
     */
    private final Map<String, ConcurrentSkipListSet<Long>> successes = new ConcurrentHashMap<>();

    FlappingUpstream(FakeCrcApi upstream, List<String> accounts, ZoneId zone) {
        this.upstream = upstream;
        for (Mode mode : Mode.values()) {
            answers.put(mode, new AtomicLong());
        }
        LocalDate today = LocalDate.now(zone);
        for (String account : accounts) {
            successes.put(account, new ConcurrentSkipListSet<>());
            upstream.account("key-" + account, "secret-" + account, List.of(day(today.minusDays(1)), day(today)));
        }
        huge = ApiAnswers.success(IntStream.range(0, 5000)
                .mapToObj(i -> day(LocalDate.of(2026, 11, 26).minusDays(i))).toList());
        upstream.behave(this::answer);
    }

    /** Answers so far, by mode. */
    Map<Mode, Long> answers() {
        Map<Mode, Long> counts = new EnumMap<>(Mode.class);
        answers.forEach((mode, n) -> counts.put(mode, n.get()));
        return counts;
    }

    /** When successful answers for {@code account} were built (epoch millis). */
    NavigableSet<Long> successes(String account) {
        return successes.get(account);
    }

    private Response answer(Request request) {
        Mode mode;
        synchronized (random) {
            int pick = random.nextInt(12);
            mode = pick < 4 ? Mode.SUCCESS : Mode.values()[pick - 3];
        }
        answers.get(mode).incrementAndGet();
        return switch (mode) {
            case SUCCESS -> {
                Response answer = upstream.documentedAnswer(request);
                // built, not yet received: the exporter may still time out on it
                successes.get(request.apiKey().substring(4)).add(System.currentTimeMillis());
                yield answer;
            }
            case SLOW -> upstream.documentedAnswer(request).delayed(Duration.ofMillis(600));
            case RATE_LIMITED -> new Response(429, Map.of("Retry-After", "1"), "", Duration.ZERO);
            case HTTP_500 -> new Response(500, Map.of(), "internal error", Duration.ZERO);
            case API_ERROR -> Response.json(ApiAnswers.error(500, "backend unavailable"));
            case MALFORMED -> Response.json("{\"status\":200,\"data\":[{\"date_time\":\"2026-11-26\","
                    + "\"crc_ports_hour_usage\":[{\"hour\":\"24\"}]}]}");
            case HUGE -> Response.json(huge);
            case ENDLESS -> Response.json("{\"status\":200,\"data\":[").framed(Framing.ENDLESS);
            case CUT_SHORT -> upstream.documentedAnswer(request).framed(Framing.CUT_SHORT);
        };
    }

    private static DailyUsage day(LocalDate date) {
        return new DailyUsage(date, IntStream.range(0, 24).mapToObj(h -> new HourUsage(h, h % 7, h % 7 * 3)).toList());
    }
}
