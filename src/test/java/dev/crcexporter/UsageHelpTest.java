package dev.crcexporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --help} of the command and of each subcommand, as a newcomer reads it in an 80-column terminal. */
class UsageHelpTest {
    private static final int TERMINAL = 80;

    private static CommandLine command(String subcommand) {
        CommandLine root = CrcExporterCommand.commandLine(Map.of(), Clock.systemUTC());
        return subcommand.isEmpty() ? root : root.getSubcommands().get(subcommand);
    }

    private static String help(String subcommand, int width) {
        CommandLine cli = command(subcommand);
        cli.setUsageHelpWidth(width);
        return cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).toList();
    }

    /**
     * Lines break only between words: the help in 80 columns has the same words as the help on one wide line
     * each. A flag broken at its dot ({@code [--config.} / {@code file=FILE]}) or a default broken at its colon
     * ({@code default: :} / {@code 9877}) would be two words here and one there.
     */
    @ParameterizedTest(name = "crc-exporter {0} --help")
    @ValueSource(strings = {"", "backfill", "report"})
    void linesBreakOnlyBetweenWords(String subcommand) {
        String narrow = help(subcommand, TERMINAL);

        assertThat(narrow.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(TERMINAL));
        assertThat(words(narrow)).isEqualTo(words(help(subcommand, 1000)));
    }

    /** The names of {@code option} as the help shows them: a negatable flag as {@code --[no-]collector.hourly}. */
    private static List<String> shown(CommandLine cli, OptionSpec option) {
        return Arrays.stream(option.names()).map(name -> option.negatable()
                ? cli.getNegatableOptionTransformer().makeSynopsis(name, cli.getCommandSpec()) : name).toList();
    }

    @ParameterizedTest(name = "crc-exporter {0} --help")
    @ValueSource(strings = {"", "backfill", "report"})
    void everyFlagIsWholeOnOneLineOfTheSynopsisAndOfTheList(String subcommand) {
        List<String> lines = help(subcommand, TERMINAL).lines().toList();
        CommandLine cli = command(subcommand);
        for (OptionSpec option : cli.getCommandSpec().options()) {
            for (String name : shown(cli, option)) {
                assertThat(lines.stream().filter(line -> line.matches(".*(^|[\\s\\[,])" + Pattern.quote(name)
                        + "([\\s\\]=,]|$).*")).count()).as(name).isGreaterThanOrEqualTo(option.usageHelp()
                        || option.versionHelp() ? 1 : 2);
            }
        }
    }

    @ParameterizedTest(name = "crc-exporter {0} --help")
    @ValueSource(strings = {"", "backfill", "report"})
    void descriptionsAreWholeSentences(String subcommand) {
        CommandLine.Model.CommandSpec spec = command(subcommand).getCommandSpec();
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        spec.options().forEach(option -> texts.add(String.join(" ", option.description())));

        assertThat(texts).isNotEmpty().allSatisfy(text -> assertThat(text).as("a description").endsWith("."));
    }

    /** The command list shows each subcommand's first description line: a sentence of its own that fits. */
    @ParameterizedTest(name = "crc-exporter --help lists {0}")
    @ValueSource(strings = {"backfill", "report"})
    void theCommandListShowsEachSubcommandInOneWholeSentence(String subcommand) {
        String line = help("", TERMINAL).lines().filter(l -> l.startsWith("  " + subcommand + " ")).findFirst()
                .orElseThrow();
        String summary = command(subcommand).getCommandSpec().usageMessage().description()[0];

        assertThat(line.substring(("  " + subcommand).length()).strip()).isEqualTo(summary).endsWith(".");
    }

    @ParameterizedTest(name = "crc-exporter {0} --help")
    @ValueSource(strings = {"", "backfill", "report"})
    void theConfigFileIsOptionalWithEitherFamilyOfVariables(String subcommand) {
        assertThat(help(subcommand, 1000)).contains("optional when CRC_* or ZOOM_* variables are set");
    }
}
