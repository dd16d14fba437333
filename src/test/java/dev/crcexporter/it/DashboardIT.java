package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard's conventions, checked with Jackson. The alert rules and example configs:
 * {@link MonitoringAssetsIT}.
 */
class DashboardIT {
    static final Path DASHBOARD = Path.of("grafana/crc-exporter.json");
    /** Panel types that show no numbers and therefore need no unit. */
    private static final Set<String> NO_NUMBERS = Set.of("row", "text", "news", "dashlist", "alertlist");

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode dashboard() throws IOException {
        return JSON.readTree(DASHBOARD.toFile());
    }

    /** Every panel, including the panels nested in rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        collectPanels(dashboard.path("panels"), panels);
        return panels;
    }

    private static void collectPanels(JsonNode list, List<JsonNode> into) {
        for (JsonNode panel : list) {
            into.add(panel);
            collectPanels(panel.path("panels"), into);
        }
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (name.equals(variable.path("name").asText())) {
                return variable;
            }
        }
        throw new AssertionError("dashboard has no templating variable " + name);
    }

    @Test
    void dashboardHasItsUidAndVariables() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("crc-exporter");

        JsonNode datasource = variable(dashboard, "datasource");
        assertThat(datasource.path("type").asText()).isEqualTo("datasource");
        assertThat(datasource.path("query").asText()).isEqualTo("prometheus");

        JsonNode account = variable(dashboard, "account");
        assertThat(account.path("type").asText()).isEqualTo("query");
        String query = account.path("query").isObject() ? account.path("query").path("query").asText()
                : account.path("query").asText();
        // Accounts of the chosen sources: crc_account_info has every account, with its source.
        assertThat(query).isEqualTo("label_values(crc_account_info{source=~\"$source\"}, account)");
        assertThat(account.path("multi").asBoolean()).as("account is multi-select").isTrue();

        JsonNode source = variable(dashboard, "source");
        assertThat(source.path("query").asText()).isEqualTo("label_values(crc_account_info, source)");
        assertThat(source.path("multi").asBoolean()).as("source is multi-select").isTrue();
        assertThat(source.path("includeAll").asBoolean()).isTrue();
        List<String> order = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(v -> order.add(v.path("name").asText()));
        assertThat(order).as("source before the account that depends on it").containsSubsequence("source", "account");
    }

    @Test
    void everyPanelHasTitleDescriptionAndUnit() throws IOException {
        List<String> problems = new ArrayList<>();
        List<JsonNode> panels = panels(dashboard());
        assertThat(panels).isNotEmpty();
        for (JsonNode panel : panels) {
            String type = panel.path("type").asText();
            String name = panel.path("title").asText("").isBlank() ? "panel " + panel.path("id")
                    : panel.path("title").asText();
            if (panel.path("title").asText("").isBlank()) {
                problems.add(name + ": no title");
            }
            if (!type.equals("row") && panel.path("description").asText("").isBlank()) {
                problems.add(name + ": no description");
            }
            if (!NO_NUMBERS.contains(type)
                    && panel.path("fieldConfig").path("defaults").path("unit").asText("").isBlank()) {
                problems.add(name + ": no unit in fieldConfig.defaults.unit");
            }
            if (!NO_NUMBERS.contains(type) && panel.path("targets").isEmpty()) {
                problems.add(name + ": no query");
            }
        }
        assertThat(problems).as("panel problems").isEmpty();
    }

    private static final Pattern VARIABLE = Pattern.compile("^\\$\\{?datasource}?$");

    /** Walks the whole tree: every datasource reference must be the variable, never a fixed uid or name. */
    private static void checkDatasources(JsonNode node, String path, List<String> problems) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String where = path + "." + field.getKey();
                JsonNode value = field.getValue();
                if (field.getKey().equals("datasource")) {
                    if (value.isTextual() && !VARIABLE.matcher(value.asText()).matches()) {
                        problems.add(where + " = " + value);
                    } else if (value.isObject() && value.has("uid")
                            && !VARIABLE.matcher(value.path("uid").asText()).matches()) {
                        problems.add(where + ".uid = " + value.path("uid"));
                    } else if (value.isObject() && !value.has("uid")) {
                        problems.add(where + " has no uid");
                    }
                }
                checkDatasources(value, where, problems);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkDatasources(node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    @Test
    void noDatasourceOtherThanTheVariable() throws IOException {
        List<String> problems = new ArrayList<>();
        checkDatasources(dashboard(), "$", problems);
        assertThat(problems).as("datasource references other than ${datasource}").isEmpty();
        // and the raw text has no datasource uid at all besides the variable
        Matcher uids = Pattern.compile("\"uid\"\\s*:\\s*\"([^\"]*)\"").matcher(Files.readString(DASHBOARD));
        List<String> others = new ArrayList<>();
        while (uids.find()) {
            if (!uids.group(1).equals("${datasource}") && !uids.group(1).equals("crc-exporter")) {
                others.add(uids.group(1));
            }
        }
        assertThat(others).as("uids in the dashboard JSON").isEmpty();
    }

    // ------------------------------------------------------------------ dashboard: HA-safe figures, retention, no data

    private static final Pattern AGGREGATION = Pattern.compile(
            "\\b(sum|count|avg)\\s*(?:by\\s*\\([^)]*\\)\\s*)?\\(\\s*");
    private static final Pattern FUNCTIONS = Pattern.compile("^(?:[a-z_]+\\s*\\(\\s*)*");
    private static final Pattern RANGE = Pattern.compile("\\[(\\d+)([smhdw])]");
    private static final Duration RETENTION = Duration.ofDays(15);

    /** Every expression of the dashboard: panel targets and annotations. */
    private static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText("")));
        }
        dashboard.path("annotations").path("list").forEach(a -> exprs.add(a.path("expr").asText("")));
        return exprs;
    }

    /**
     * Two exporters of an HA pair (or one restarted under another instance) expose every series twice: a sum, count or
     * average straight over crc_* series doubles the figure. Aggregate max by the labels that matter first; EndToEndIT
     * proves the result on a real Prometheus.
     */
    @Test
    void noSumCountOrAverageStraightOverCrcSeries() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String expr : expressions(dashboard())) {
            Matcher aggregation = AGGREGATION.matcher(expr);
            while (aggregation.find()) {
                String argument = expr.substring(aggregation.end());
                Matcher functions = FUNCTIONS.matcher(argument);
                String afterFunctions = functions.lookingAt() ? argument.substring(functions.end()) : argument;
                if (!argument.startsWith("max") && afterFunctions.startsWith("crc_")) {
                    problems.add(aggregation.group(1) + " over " + afterFunctions.split("[{\\s)]")[0]
                            + " in `" + expr + "`");
                }
            }
        }
        assertThat(problems).as("aggregations that an HA pair doubles").isEmpty();
    }

    private static Duration duration(String amount, String unit) {
        long n = Long.parseLong(amount);
        return switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    /** A panel that looks further back than Prometheus' default 15-day retention says so in its description. */
    @Test
    void panelsLookingBeyondTheDefaultRetentionSaySo() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode panel : panels(dashboard())) {
            List<Duration> spans = new ArrayList<>();
            Matcher timeFrom = Pattern.compile("(\\d+)([smhdw])").matcher(panel.path("timeFrom").asText(""));
            if (timeFrom.matches()) {
                spans.add(duration(timeFrom.group(1), timeFrom.group(2)));
            }
            for (JsonNode target : panel.path("targets")) {
                RANGE.matcher(target.path("expr").asText("")).results()
                        .forEach(m -> spans.add(duration(m.group(1), m.group(2))));
            }
            boolean beyond = spans.stream().anyMatch(d -> d.compareTo(RETENTION) > 0);
            if (beyond && !panel.path("description").asText("").contains("retention")) {
                problems.add(panel.path("title").asText() + ": looks back " + spans
                        + " but its description does not mention retention");
            }
        }
        assertThat(problems).isEmpty();
    }

    /** A panel built on the {date,hour} series says that it needs them: with --no-collector.hourly it has no data. */
    @Test
    void panelsOfTheHourlySeriesSayTheyNeedTheHourlyCollector() throws IOException {
        List<String> problems = new ArrayList<>();
        int hourlyPanels = 0;
        for (JsonNode panel : panels(dashboard())) {
            if (panel.path("targets").toString().matches(".*crc_ports_(max|total)_usage\\b.*")) {
                hourlyPanels++;
                if (!panel.path("description").asText("").contains("--collector.hourly")) {
                    problems.add(panel.path("title").asText()
                            + ": uses the hourly series, its description does not say so");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(hourlyPanels).as("hours at saturation, the accounts table, peaks and connections per hour")
                .isEqualTo(4);
    }

    @Test
    void everyPanelWithNumbersSaysWhatNoDataMeans() throws IOException {
        List<String> missing = new ArrayList<>();
        for (JsonNode panel : panels(dashboard())) {
            if (!NO_NUMBERS.contains(panel.path("type").asText())
                    && panel.path("fieldConfig").path("defaults").path("noValue").asText("").isBlank()) {
                missing.add(panel.path("title").asText());
            }
        }
        assertThat(missing).as("panels without fieldConfig.defaults.noValue").isEmpty();
    }

    @Test
    void dashboardShowsTheCrcAlertsAsAnnotations() throws IOException {
        JsonNode annotations = dashboard().path("annotations").path("list");
        assertThat(annotations).anySatisfy(a -> {
            assertThat(a.path("enable").asBoolean()).isTrue();
            assertThat(a.path("expr").asText()).contains("ALERTS{", "service=\"crc\"", "alertstate=\"firing\"");
        });
    }

    /**
     * The first row answers what the landing page and the report lead with, for the last 30 days: days at capacity and
     * the highest daily peak against the purchased ports, from the recording rules (so that backfilled days count).
     */
    @Test
    void theFirstRowShowsTheLastThirtyDaysWorstFirst() throws IOException {
        List<JsonNode> firstRow = panels(dashboard()).stream().filter(p -> p.at("/gridPos/y").asInt() == 0).toList();
        assertThat(firstRow).hasSize(1);
        JsonNode panel = firstRow.get(0);
        assertThat(panel.path("description").asText()).contains("last 30 days", "UTC days", "recording rules");
        assertThat(panel.path("targets").toString()).contains("account:crc_ports_days_at_capacity:count30d",
                "account:crc_ports_hourly_peak:max30d", "account:crc_ports_capacity:max");
        // worst first: sorted by the risk key (days at capacity, then the peak's share), which is not shown
        JsonNode sort = panel.path("transformations").findValue("sort");
        assertThat(sort.get(0).path("field").asText()).isEqualTo("Value #E");
        assertThat(sort.get(0).path("desc").asBoolean()).isTrue();
        assertThat(panel.path("transformations").findValue("excludeByName").path("Value #E").asBoolean()).isTrue();
        String rules = Files.readString(MonitoringAssetsIT.RULES);
        assertThat(rules).contains("- record: account:crc_ports_days_at_capacity:count30d",
                "- record: account:crc_ports_hourly_peak:max30d");
    }

    @Test
    void hourlyPeakChartsDrawTheCapacityAsALine() throws IOException {
        List<JsonNode> peaks = panels(dashboard()).stream().filter(p -> "barchart".equals(p.path("type").asText()))
                .filter(p -> p.path("targets").toString().contains("crc_ports_max_usage")
                        || p.path("targets").toString().contains("crc_ports_daily_max_usage"))
                .toList();
        assertThat(peaks).hasSizeGreaterThanOrEqualTo(2);
        for (JsonNode panel : peaks) {
            assertThat(panel.path("targets").toString()).as(panel.path("title").asText())
                    .contains("crc_ports_capacity");
            assertThat(panel.path("transformations").get(0).path("id").asText()).as(panel.path("title").asText())
                    .isEqualTo("configFromQuery");
            assertThat(panel.at("/fieldConfig/defaults/custom/thresholdsStyle/mode").asText()).isEqualTo("dashed");
        }
    }
}
