package dev.crcexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Which accounts a replica started with {@code --shard=I/N} serves: every account in exactly one shard, the same
 * shard on every machine and version, few accounts moved when N changes, and one clear message per bad value.
 * (jqwik runs {@code @Property} and {@code @Example} methods alike.)
 */
class ShardTest {

    // --- the partition ----------------------------------------------------------------------------------

    /** Account names as the configuration allows them: [a-zA-Z0-9_.-]+. */
    @Provide
    Arbitrary<List<String>> accountNames() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
                .ofMinLength(1).ofMaxLength(40).list().ofMaxSize(300).uniqueElements();
    }

    @Property(tries = 300)
    void everyAccountLandsInExactlyOneShardAndTheShardsTogetherAreTheConfiguration(
            @ForAll("accountNames") List<String> names, @ForAll @IntRange(min = 1, max = 64) int shards) {
        ExporterConfig config = config(names);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            Shard shard = new Shard(i, shards);
            List<String> selected = names(shard.select(config));
            assertThat(selected).as("shard %s keeps the configured order", shard).isEqualTo(
                    names.stream().filter(n -> Shard.of(n, shards) == shard.index()).toList());
            seen.addAll(selected);
        }
        assertThat(seen).as("no account twice, none missed").hasSameSizeAs(names)
                .containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            assertThat(IntStream.range(0, shards).filter(i -> new Shard(i, shards).owns(name))).as(name).hasSize(1);
        }
    }

    @Property(tries = 300)
    void moreShardsOnlyMoveAccountsToTheNewShards(@ForAll("accountNames") List<String> names,
            @ForAll @IntRange(min = 1, max = 64) int before, @ForAll @IntRange(min = 0, max = 64) int added) {
        int after = before + added;
        for (String name : names) {
            int was = Shard.of(name, before);
            int is = Shard.of(name, after);
            assertThat(is == was || is >= before).as("%s: shard %d of %d became %d of %d", name, was, before, is, after)
                    .isTrue();
        }
    }

    @Property(tries = 100)
    void selectingKeepsEverySettingButTheAccounts(@ForAll("accountNames") List<String> names,
            @ForAll @IntRange(min = 1, max = 8) int shards) {
        ExporterConfig config = config(names);
        ExporterConfig selected = new Shard(shards - 1, shards).select(config);
        assertThat(selected.withAccounts(config.accounts())).isEqualTo(config);
    }

    // --- stability: the same shard everywhere, forever ---------------------------------------------------

    /**
     * Fixed once, from this implementation, and checked against an independent one (Python: hashlib.sha256 and the
     * paper's loop on integers masked to 64 bits). If this fails, accounts would move between shards on upgrade.
     */
    @Example
    void knownNamesKeepTheirShardsOfTen() {
        assertThat(Shard.key("hq")).isEqualTo(-2323913004657871148L);
        assertThat(Shard.key("customer-0001")).isEqualTo(7597078068657218866L);
        String[][] table = {
            {"hq", "5"}, {"emea", "0"}, {"apac", "5"}, {"lab", "6"}, {"headquarters", "6"},
            {"customer-0001", "4"}, {"customer-0002", "3"}, {"customer-0003", "3"},
            {"bench-0", "2"}, {"bench-9999", "7"}, {"a", "1"}, {"A.b_c-d", "7"},
        };
        for (String[] row : table) {
            assertThat(Shard.of(row[0], 10)).as(row[0]).isEqualTo(Integer.parseInt(row[1]));
        }
        // Going from 10 to 12 shards: these move to the new shards 10 and 11, the others stay.
        assertThat(Shard.of("emea", 12)).isEqualTo(11);
        assertThat(Shard.of("customer-0003", 12)).isEqualTo(11);
        assertThat(Shard.of("hq", 12)).isEqualTo(5);
    }

    @Example
    void aFleetOfTenThousandSpreadsEvenlyAndTwelveShardsMoveAboutOneSixth() {
        List<String> names = IntStream.range(0, 10_000).mapToObj(i -> String.format("customer-%05d", i)).toList();
        int[] perShard = new int[10];
        int moved = 0;
        for (String name : names) {
            int ofTen = Shard.of(name, 10);
            perShard[ofTen]++;
            int ofTwelve = Shard.of(name, 12);
            if (ofTwelve != ofTen) {
                moved++;
                assertThat(ofTwelve).as(name).isIn(10, 11);
            }
        }
        // 1,000 each on average; a binomial standard deviation is 30, so 5 of them either way.
        assertThat(IntStream.of(perShard).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
        // The least any scheme can move is 2/12 of the accounts (the new shards' share): 1,667.
        assertThat(moved).isBetween(1_500, 1_850);
    }

    @Example
    void oneShardOwnsEverything() {
        assertThat(new Shard(0, 1).owns("anything")).isTrue();
        assertThat(Shard.of("hq", 1)).isZero();
    }

    // --- parsing -----------------------------------------------------------------------------------------

    @Example
    void parsesIOfN() throws ConfigException {
        assertThat(Shard.parse("3/10", "--shard")).isEqualTo(new Shard(3, 10));
        assertThat(Shard.parse("0/1", "--shard")).isEqualTo(new Shard(0, 1));
        assertThat(Shard.parse(" 2/3\n", "CRC_SHARD")).as("surrounding blanks of an environment value")
                .isEqualTo(new Shard(2, 3));
        assertThat(Shard.parse("3/10", "--shard")).hasToString("3/10");
    }

    @Example
    void badValuesNameTheSettingAndTheValue() {
        String format = " must be I/N, shard I of N counted from 0 like StatefulSet pod ordinals, for example 0/3"
                + " (got \"";
        for (String bad : List.of("", "3", "3/", "/10", "a/10", "3/b", "-1/10", "3/-10", "3/10/2", "3 / 10", "1.5/10",
                "0x3/10", "3/1234567890", "$(SHARD_INDEX)/10", "crc-exporter-3/10")) {
            assertThatThrownBy(() -> Shard.parse(bad, "--shard")).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessage("--shard" + format + bad + "\")");
        }
        assertThatThrownBy(() -> Shard.parse("x", "CRC_SHARD")).hasMessage("CRC_SHARD" + format + "x\")");
        assertThatThrownBy(() -> Shard.parse("0/0", "--shard"))
                .hasMessage("--shard: the number of shards N must be at least 1 (got \"0/0\")");
        for (String bad : List.of("10/10", "11/10", "1/1")) {
            assertThatThrownBy(() -> Shard.parse(bad, "CRC_SHARD")).as(bad)
                    .hasMessage("CRC_SHARD: shard I must be less than N, shards are counted from 0 to N-1 (got \""
                            + bad + "\")");
        }
    }

    @Example
    void theRecordRefusesWhatParsingRefuses() {
        assertThatThrownBy(() -> new Shard(10, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shard(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Shard(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private static ExporterConfig config(List<String> names) {
        List<AccountConfig> accounts = names.stream()
                .map(n -> new AccountConfig(n, "key-" + n, new Secret("secret"), OptionalInt.empty())).toList();
        return new ExporterConfig(URI.create("http://127.0.0.1:1/crc"), RequestMethod.POST, ZoneId.of("Asia/Shanghai"),
                Duration.ofMinutes(5), Duration.ofSeconds(10), 8,
                new RetryConfig(3, Duration.ofSeconds(5), Duration.ofMinutes(1)), accounts, ZoomConfig.DEFAULT);
    }

    private static List<String> names(ExporterConfig config) {
        return config.accounts().stream().map(AccountConfig::name).toList();
    }
}
