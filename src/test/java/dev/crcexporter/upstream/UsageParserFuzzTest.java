package dev.crcexporter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crcexporter.demo.ApiAnswers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Properties of {@link UsageParser}: every well-formed answer reads back exactly; anything else, however
 * broken, ends in an {@link UpstreamException} and never in another exception (which would escape the
 * poller's reasons) or a hang.
 */
class UsageParserFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong INPUTS = new AtomicLong();

    @Provide
    Arbitrary<List<DailyUsage>> answers() {
        Arbitrary<HourUsage> hour = Combinators.combine(
                Arbitraries.integers().between(0, 23),
                Arbitraries.longs().between(0, UsageParser.MAX_PLAUSIBLE_USAGE),
                Arbitraries.longs().between(0, UsageParser.MAX_PLAUSIBLE_USAGE)).as(HourUsage::new);
        Arbitrary<List<HourUsage>> hours = hour.list().ofMaxSize(24).uniqueElements(HourUsage::hour);
        Arbitrary<LocalDate> date = Arbitraries.integers().between(0, 3650)
                .map(d -> LocalDate.of(2019, 1, 1).plusDays(d));
        Arbitrary<DailyUsage> day = Combinators.combine(date, hours).as(DailyUsage::new);
        return day.list().ofMaxSize(6).uniqueElements(DailyUsage::date);
    }

    @Property(tries = 1000)
    void wellFormedAnswersReadBackExactly(@ForAll("answers") List<DailyUsage> days) throws UpstreamException {
        INPUTS.incrementAndGet();
        byte[] body = ApiAnswers.success(days).getBytes(StandardCharsets.UTF_8);

        assertThat(UsageParser.parse(body, UnaryOperator.identity())).isEqualTo(days);
    }

    @Property(tries = 4000)
    void mutatedAnswersFailOnlyAsUpstreamExceptions(@ForAll("answers") List<DailyUsage> days, @ForAll long seed) {
        byte[] body = mutate(ApiAnswers.success(days), new Random(seed));
        assertOnlyUpstreamException(body);
    }

    @Property(tries = 1500)
    void randomBytesFailOnlyAsUpstreamExceptions(@ForAll byte[] body) {
        assertOnlyUpstreamException(body);
    }

    private static void assertOnlyUpstreamException(byte[] body) {
        INPUTS.incrementAndGet();
        try {
            UsageParser.parse(body, UnaryOperator.identity());
        } catch (UpstreamException e) {
            assertThat(e.reason()).isIn(FailureReason.MALFORMED, FailureReason.API_STATUS);
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").hasSizeLessThan(600);
        }
    }

    @AfterContainer
    static void report() {
        System.out.println("UsageParserFuzzTest: " + INPUTS.get() + " inputs parsed");
    }

    // ---- mutations of a valid answer ----

    private static byte[] mutate(String answer, Random random) {
        int kind = random.nextInt(9);
        return switch (kind) {
            case 0 -> truncate(answer, random);
            case 1 -> flipBytes(answer.getBytes(StandardCharsets.UTF_8), random);
            case 2 -> deepNesting(answer, random);
            case 3 -> hugeNumber(answer, random);
            case 4 -> duplicateKey(answer, random);
            default -> mutateTree(answer, random, 1 + random.nextInt(3));
        };
    }

    private static byte[] truncate(String answer, Random random) {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        int keep = random.nextInt(bytes.length);
        return java.util.Arrays.copyOf(bytes, keep);
    }

    private static byte[] flipBytes(byte[] bytes, Random random) {
        for (int i = 0, n = 1 + random.nextInt(4); i < n && bytes.length > 0; i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] deepNesting(String answer, Random random) {
        int depth = 10 + random.nextInt(5000);
        String nested = "[".repeat(depth) + "1" + "]".repeat(random.nextBoolean() ? depth : depth / 2);
        return answer.replaceFirst("\"data\":", "\"data\":" + nested + ",\"x\":").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hugeNumber(String answer, Random random) {
        String digits = "9".repeat(1 + random.nextInt(3000));
        String target = random.nextBoolean() ? "\"status\":200" : "\"message\":\"OK\"";
        String field = target.substring(0, target.indexOf(':') + 1);
        return answer.replace(target, field + (random.nextBoolean() ? "-" : "") + digits
                        + (random.nextBoolean() ? ".5e99999" : ""))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] duplicateKey(String answer, Random random) {
        String[] keys = {"\"status\":200", "\"message\":\"OK\"", "\"data\":[]"};
        String key = keys[random.nextInt(keys.length)];
        return answer.replaceFirst("\\{", "{" + key + ",").getBytes(StandardCharsets.UTF_8);
    }

    /** Deletes keys, swaps types, inserts absurd values at random places of the tree. */
    private static byte[] mutateTree(String answer, Random random, int edits) {
        try {
            JsonNode root = JSON.readTree(answer);
            for (int i = 0; i < edits; i++) {
                List<JsonNode> containers = new ArrayList<>();
                collectContainers(root, containers);
                JsonNode target = containers.get(random.nextInt(containers.size()));
                if (target instanceof ObjectNode object && object.size() > 0) {
                    List<String> names = new ArrayList<>();
                    object.fieldNames().forEachRemaining(names::add);
                    String name = names.get(random.nextInt(names.size()));
                    if (random.nextInt(3) == 0) {
                        object.remove(name);
                    } else {
                        object.set(name, randomValue(random));
                    }
                } else if (target instanceof ArrayNode array) {
                    if (array.size() > 0 && random.nextBoolean()) {
                        array.set(random.nextInt(array.size()), randomValue(random));
                    } else {
                        array.add(randomValue(random));
                    }
                }
            }
            return JSON.writeValueAsBytes(root);
        } catch (Exception e) {
            throw new AssertionError("the mutator itself failed", e);
        }
    }

    private static void collectContainers(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collectContainers(it.next(), out);
            }
        }
    }

    private static final Set<String> HOURISH = Set.of("24", "-1", "1", "001", "0x", "", "23 ", "٠٣");

    private static JsonNode randomValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(-1 - random.nextInt(1000));
            case 3 -> f.numberNode(random.nextDouble() * 100);
            case 4 -> f.numberNode(new BigInteger("9".repeat(1 + random.nextInt(40))));
            case 5 -> f.numberNode(Long.MIN_VALUE);
            case 6 -> f.textNode(new ArrayList<>(HOURISH).get(random.nextInt(HOURISH.size())));
            case 7 -> f.textNode("2026-02-" + (28 + random.nextInt(4)));
            case 8 -> f.textNode("\u0000\u2028<script>" + random.nextInt());
            case 9 -> f.arrayNode();
            case 10 -> f.objectNode();
            case 11 -> f.numberNode(Double.NaN);
            case 12 -> f.numberNode(random.nextInt(300));
            default -> f.textNode(Integer.toString(random.nextInt(1_000_000)));
        };
    }
}
