package dev.crcexporter.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md and docs/ as a newcomer follows them: the README fits on a few screens, every relative link and anchor
 * leads somewhere, and every link into the repository that the shipped rules and dashboard carry (the alerts'
 * runbook_url) resolves to a file and a heading of this checkout.
 */
class DocumentationTest {
    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final int README_MAX_LINES = 300;
    /** How the rules and the dashboard link to this repository's files on GitHub. */
    private static final String REPOSITORY_URL = "https://github.com/crc-exporter/crc-exporter/blob/main/";
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern HEADING = Pattern.compile("#{1,6}\\s+(.*?)\\s*#*\\s*");
    private static final Pattern REPOSITORY_LINK = Pattern.compile(Pattern.quote(REPOSITORY_URL)
            + "([^\"'\\s#)]+)(#[^\"'\\s)]*)?");

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(DOCS)) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The lines of a markdown page outside fenced code blocks, where links and headings are links and headings. */
    private static List<String> prose(Path page) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        for (String line : Files.readAllLines(page)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * The anchors GitHub gives the headings of a page: the heading's text in lower case, punctuation dropped (letters,
     * digits, '_', '-' and spaces stay), spaces turned into '-'; a repeated anchor gets -1, -2, ...
     */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(page)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String text = heading.group(1).replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1");
                String anchor = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_ -]", "").replace(' ', '-');
                int count = seen.merge(anchor, 1, Integer::sum);
                anchors.add(count == 1 ? anchor : anchor + "-" + (count - 1));
            }
        }
        return anchors;
    }

    /** Why {@code target} (a path relative to {@code page}, maybe with #anchor, or only #anchor) leads nowhere. */
    private static String linkProblem(Path page, String target) throws IOException {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        return problem(path.isEmpty() ? page : page.resolveSibling(path).normalize(),
                hash < 0 ? null : target.substring(hash + 1));
    }

    /** Why {@code file} (and {@code anchor} in it, unless null) does not exist; null when it does. */
    private static String problem(Path file, String anchor) throws IOException {
        if (!Files.exists(file)) {
            return "no file " + file;
        }
        if (anchor == null) {
            return null;
        }
        if (!file.toString().endsWith(".md")) {
            return "an anchor into " + file + ", which is not a markdown page";
        }
        Set<String> anchors = anchors(file);
        return anchors.contains(anchor) ? null : "no heading #" + anchor + " in " + file + " (has " + anchors + ")";
    }

    @Test
    void anchorsAreGitHubsLowerCaseWithoutPunctuationAndNumberedWhenRepeated(@TempDir Path dir) throws IOException {
        Path page = Files.writeString(dir.resolve("page.md"), """
                # Deployment
                ## JVM options: `deploy/jvm.options`
                ### How a scrape is answered, and what is kept between scrapes
                ```
                # not a heading: a comment in a code block
                ```
                ## The seed API (systec)
                ## crc_up is 0
                ## Runbook
                ## Runbook
                """);

        assertThat(anchors(page)).containsExactly("deployment", "jvm-options-deployjvmoptions",
                "how-a-scrape-is-answered-and-what-is-kept-between-scrapes", "the-seed-api-systec", "crc_up-is-0",
                "runbook", "runbook-1");
    }

    @Test
    void theReadmeFitsOnAFewScreens() throws IOException {
        assertThat(Files.readAllLines(README)).hasSizeLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void everyRelativeLinkAndAnchorOfTheReadmeAndTheDocsResolves() throws IOException {
        List<String> problems = new ArrayList<>();
        int links = 0;
        for (Path page : pages()) {
            for (String line : prose(page)) {
                Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
                while (link.find()) {
                    String target = link.group(1);
                    if (target.matches("[a-z]+:.*")) {
                        continue; // http:, https:, mailto: are not files of this repository
                    }
                    links++;
                    String problem = linkProblem(page, target);
                    if (problem != null) {
                        problems.add(page + ": (" + target + "): " + problem);
                    }
                }
            }
        }
        assertThat(links).as("relative links found").isGreaterThan(50);
        assertThat(problems).isEmpty();
    }

    /** The alerts' runbook_url (and their generated copies, and the dashboard's link) lead to an existing heading. */
    @Test
    void everyLinkIntoTheRepositoryFromRulesAndDashboardsResolves() throws IOException {
        List<String> problems = new ArrayList<>();
        int runbookUrls = 0;
        for (Path dir : List.of(Path.of("alerts"), Path.of("deploy"), Path.of("grafana"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    for (String line : Files.readAllLines(file)) {
                        Matcher link = REPOSITORY_LINK.matcher(line);
                        while (link.find()) {
                            runbookUrls += line.contains("runbook_url") ? 1 : 0;
                            String anchor = link.group(2) == null ? null : link.group(2).substring(1);
                            String problem = problem(Path.of(link.group(1)), anchor);
                            if (problem != null) {
                                problems.add(file + ": " + link.group() + ": " + problem);
                            }
                        }
                    }
                }
            }
        }
        assertThat(runbookUrls).as("runbook_url annotations found").isGreaterThan(10);
        assertThat(problems).isEmpty();
    }

    /** Each page of docs/ opens with its title and a paragraph that says what it is for; the README links it. */
    @Test
    void everyPageOfTheDocsSaysWhatItIsForAndIsLinkedFromTheReadme() throws IOException {
        String readme = Files.readString(README);
        for (Path page : pages().subList(1, pages().size())) {
            List<String> lines = Files.readAllLines(page).stream().filter(l -> !l.isBlank()).toList();
            assertThat(lines.get(0)).as("%s starts with its title", page).startsWith("# ");
            assertThat(lines.get(1)).as("%s: what the page is for, in a sentence", page).matches("[A-Z].*");
            assertThat(readme).as("README links %s", page).contains("](" + page + ")");
        }
    }
}
