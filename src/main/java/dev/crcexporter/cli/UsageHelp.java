package dev.crcexporter.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --help} of every command, in 80 columns. picocli wraps the synopsis wherever a line may break in prose,
 * which includes the dots of our flags ({@code [--config.} / {@code file=FILE]}): here the synopsis breaks only
 * between its parts, so that every flag can be read and copied whole.
 */
public final class UsageHelp {
    private UsageHelp() {}

    /** Applies to {@code cli} and to every subcommand it has now: call it after adding them. */
    public static void apply(CommandLine cli) {
        cli.setHelpFactory(SynopsisWrappedBetweenParts::new);
    }

    private static final class SynopsisWrappedBetweenParts extends CommandLine.Help {
        SynopsisWrappedBetweenParts(CommandSpec spec, ColorScheme colors) {
            super(spec, colors);
        }

        /** The command name and its parts ({@code [--log.level=LEVEL]}), continuation lines under the first part. */
        @Override
        protected String insertSynopsisCommandName(int headingLength, Text parts) {
            String name = commandSpec().qualifiedName();
            int indent = headingLength + name.length() + 1;
            StringBuilder out = new StringBuilder(name);
            int column = indent - 1;
            for (String part : parts.plainString().strip().split(" +")) {
                if (column > indent && column + 1 + part.length() > commandSpec().usageMessage().width()) {
                    out.append(System.lineSeparator()).append(" ".repeat(indent)).append(part);
                    column = indent + part.length();
                } else {
                    out.append(' ').append(part);
                    column += 1 + part.length();
                }
            }
            return out.append(System.lineSeparator()).toString();
        }
    }
}
