package dev.crcexporter.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crcexporter.testing.PrometheusServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every query of the Grafana dashboard ({@link DashboardIT#DASHBOARD}: variables, panel targets, annotations), with
 * Grafana's variables expanded, run against a real Prometheus: which return no data, and which show upstream figures.
 */
final class DashboardQueries {
    private static final Pattern LABEL_VALUES = Pattern.compile(
            "^label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");
    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{?[A-Za-z_]");
    /** Expressions whose figures depend on time or on the exporter itself, not only on the upstream data. */
    private static final Pattern NOT_DATA = Pattern.compile(
            "time\\(\\)|_poll_|build_info|\\bup\\{|ALERTS|last_success");

    /** A query of the dashboard: where it is, its expression, and whether Grafana runs it as a range query. */
    record Query(String where, String expr, boolean range) {}

    /**
     * What running the dashboard found: the problems (queries without data or that fail), the expanded expressions
     * whose figures come from the upstream data alone, and how many queries ran.
     */
    record Outcome(List<String> problems, List<Query> figures, int checked) {}

    private DashboardQueries() {}

    /** Grafana's variables replaced by what Grafana would send for "All accounts" on a 1h range. */
    static String substitute(String expr) {
        return expr
                .replaceAll("\\$\\{account(:[a-z]+)?}|\\$account\\b", ".*")
                .replaceAll("\\$\\{source(:[a-z]+)?}|\\$source\\b", ".*")
                .replaceAll("\\$\\{datasource}|\\$datasource\\b", "")
                .replaceAll("\\$\\{?__rate_interval}?", "1m")
                .replaceAll("\\$\\{?__interval_ms}?", "60000")
                .replaceAll("\\$\\{?__interval}?", "1m")
                .replaceAll("\\$\\{?__range_ms}?", "3600000")
                .replaceAll("\\$\\{?__range_s}?", "3600")
                .replaceAll("\\$\\{?__range}?", "1h");
    }

    /** Panel targets and annotations, as written in the dashboard. */
    private static List<Query> queries(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : DashboardIT.panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.path("title").asText() + " " + target.path("refId").asText(),
                        target.path("expr").asText(""), target.path("range").asBoolean(false)));
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            queries.add(new Query("annotation " + annotation.path("name").asText(),
                    annotation.path("expr").asText(""), true));
        }
        return queries;
    }

    /**
     * Runs every query of the dashboard on {@code prometheus}: each variable (a label_values query) must offer at least
     * {@code variableValues} of its name; each panel and annotation query must return data, as an instant query and,
     * where Grafana asks for a range, as a range query.
     */
    static Outcome run(PrometheusServer prometheus, Map<String, List<String>> variableValues) throws IOException {
        JsonNode dashboard = DashboardIT.dashboard();
        List<String> problems = new ArrayList<>();
        int checked = 0;

        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            String name = variable.path("name").asText();
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                    : variable.path("query").asText();
            Matcher labelValues = LABEL_VALUES.matcher(query.strip());
            assertThat(labelValues.matches()).as("variable %s: label_values(metric, label) query", query).isTrue();
            assertThat(variableValues).as("values expected of variable " + name).containsKey(name);
            List<String> found = prometheus.labelValues(labelValues.group(2), substitute(labelValues.group(1)));
            if (!found.containsAll(variableValues.get(name))) {
                problems.add("variable " + name + " (" + query + "): " + found);
            }
            checked++;
        }

        List<Query> figures = new ArrayList<>();
        for (Query query : queries(dashboard)) {
            if (query.expr().isBlank()) {
                problems.add(query.where() + ": no expr");
                continue;
            }
            String expr = substitute(query.expr());
            String where = query.where() + " `" + expr + "`";
            if (UNRESOLVED.matcher(expr).find()) {
                problems.add(where + ": unresolved variable");
                continue;
            }
            try {
                if (prometheus.query(expr).isEmpty()) {
                    problems.add(where + ": empty result");
                }
            } catch (AssertionError e) {
                problems.add(where + ": " + e.getMessage());
            }
            if (query.range()) {
                // Up to a second after the instant query above, so a series that has just appeared (a firing alert)
                // is in range.
                long end = System.currentTimeMillis() / 1000 + 1;
                try {
                    if (prometheus.queryRange(expr, end - 30, end, 1).isEmpty()) {
                        problems.add(where + ": empty result (range query)");
                    }
                } catch (AssertionError e) {
                    problems.add(where + ": " + e.getMessage());
                }
            }
            if (!NOT_DATA.matcher(expr).find()) {
                figures.add(new Query(query.where(), expr, false));
            }
            checked++;
        }
        return new Outcome(problems, figures, checked);
    }
}
