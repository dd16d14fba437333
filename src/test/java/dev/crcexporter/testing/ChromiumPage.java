package dev.crcexporter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One page of headless Chromium (Debian's /usr/bin/chromium, as {@link Chromium}) driven over the DevTools protocol,
 * for what a command line run cannot do: lay a page out at a phone's width (the command line's window is never less
 * than 500 pixels wide), measure it with a script run in the page (the pages themselves have none), emulate print
 * media and print to PDF. Loopback only; the process is stopped with its {@link ExternalProcesses}.
 */
public final class ChromiumPage implements AutoCloseable {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> awaitedEvents = new ConcurrentHashMap<>();
    private final Path log;

    private ChromiumPage(WebSocket.Builder builder, URI page, Path log) throws IOException {
        this.log = log;
        try {
            this.socket = builder.buildAsync(page, new Listener()).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + page, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to Chromium's page at " + page + ExternalProcesses.logTail(log), e);
        }
    }

    /**
     * Starts Chromium with a profile in {@code home} and opens its blank page at {@code width} x {@code height} CSS
     * pixels; as a phone ({@code mobile}: the page's viewport meta tag counts, as on a phone) or as a desktop.
     */
    public static ChromiumPage open(ExternalProcesses processes, Path home, int width, int height, boolean mobile)
            throws IOException {
        Path profile = Files.createDirectories(home.resolve("chromium-devtools-profile"));
        Path log = home.resolve("chromium-devtools.log");
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                        "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HOME", home.toString());
        Process process = processes.start(builder);
        // Chromium writes the port it chose into the profile once it listens.
        Path activePort = profile.resolve("DevToolsActivePort");
        String port = Poll.until(BOUND, Duration.ofMillis(50), "Chromium's DevTools port in " + activePort, () -> {
            ExternalProcesses.assertAlive(process);
            try {
                List<String> lines = Files.exists(activePort) ? Files.readAllLines(activePort) : List.of();
                return lines.size() >= 2 ? lines.get(0).strip() : "";
            } catch (IOException e) {
                return "";
            }
        }, p -> !p.isEmpty(), () -> ExternalProcesses.logTail(log));
        HttpClient http = HttpClient.newHttpClient();
        URI pageSocket = Poll.until(BOUND, Duration.ofMillis(50), "Chromium's blank page", () -> {
            try {
                HttpResponse<String> targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/json/list")).build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode target : JSON.readTree(targets.body())) {
                    if ("page".equals(target.path("type").asText())) {
                        return URI.create(target.path("webSocketDebuggerUrl").asText());
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }, uri -> uri != null, () -> ExternalProcesses.logTail(log));
        ChromiumPage page = new ChromiumPage(http.newWebSocketBuilder(), pageSocket, log);
        page.send("Page.enable", Map.of());
        page.viewport(width, height, mobile);
        return page;
    }

    /** Lays the page out at {@code width} x {@code height} CSS pixels from now on. */
    public void viewport(int width, int height, boolean mobile) {
        send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", mobile));
    }

    /** Opens {@code url} and returns once its load event has fired. */
    public void load(String url) {
        CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
        awaitedEvents.put("Page.loadEventFired", loaded);
        JsonNode navigated = send("Page.navigate", Map.of("url", url));
        if (navigated.hasNonNull("errorText")) {
            throw new AssertionError("Chromium could not open " + url + ": " + navigated.path("errorText").asText());
        }
        await(loaded, "the load event of " + url);
    }

    /** "screen" or "print": the CSS media the page is laid out for. */
    public void emulateMedia(String media) {
        send("Emulation.setEmulatedMedia", Map.of("media", media));
    }

    /** The value of a script expression evaluated in the page (JSON values only); a script error fails the test. */
    public JsonNode evaluate(String expression) {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("script failed in the page: " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /**
     * How the page is laid out now: its scroll width against the viewport's, and every text rendered under
     * {@code minimumPixels} (its element's computed font size times any SVG scaling and the page's zoom; text in
     * {@code title}, {@code style} and {@code script} elements and hidden text do not count).
     *
     * @param texts    text nodes measured
     * @param svgTexts of which in SVG {@code <text>} elements
     * @param small    "TAG 9.0px: text" of each text under the minimum
     */
    public record Layout(int scrollWidth, int innerWidth, int texts, int svgTexts, List<String> small) {}

    public Layout layout(double minimumPixels) {
        JsonNode measured = evaluate("""
                (() => {
                  const small = [];
                  let texts = 0, svgTexts = 0;
                  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const element = node.parentElement;
                    if (!node.textContent.trim() || !element || element.closest('title, style, script')) continue;
                    if (element.getClientRects().length === 0 || !element.checkVisibility({checkVisibilityCSS: true})) {
                      continue;
                    }
                    let scale = 1;
                    if (element instanceof SVGGraphicsElement) {
                      const m = element.getScreenCTM();
                      scale = Math.sqrt(m.a * m.a + m.b * m.b);
                      svgTexts++;
                    }
                    const pixels = parseFloat(getComputedStyle(element).fontSize) * scale * window.visualViewport.scale;
                    texts++;
                    if (pixels < %s) small.push(element.tagName + ' ' + pixels.toFixed(1) + 'px: '
                            + node.textContent.trim());
                  }
                  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, texts,
                          svgTexts, small};
                })()""".formatted(minimumPixels));
        List<String> small = new ArrayList<>();
        measured.path("small").forEach(text -> small.add(text.asText()));
        return new Layout(measured.path("scrollWidth").asInt(), measured.path("innerWidth").asInt(),
                measured.path("texts").asInt(), measured.path("svgTexts").asInt(), small);
    }

    /** A PNG of the whole page (not only the viewport) as laid out now. */
    public byte[] screenshot() {
        JsonNode data = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        return Base64.getDecoder().decode(data.path("data").asText());
    }

    /** The page printed to PDF as a browser prints it: the page size and margins of its own CSS, backgrounds on. */
    public byte[] printToPdf() {
        JsonNode data = send("Page.printToPDF", Map.of("preferCSSPageSize", true, "printBackground", true));
        return Base64.getDecoder().decode(data.path("data").asText());
    }

    private JsonNode send(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        socket.sendText(message.toString(), true).join();
        JsonNode answer = await(reply, method);
        if (answer.has("error")) {
            throw new AssertionError(method + " failed: " + answer.path("error"));
        }
        return answer.path("result");
    }

    private JsonNode await(CompletableFuture<JsonNode> future, String what) {
        try {
            return future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no answer from Chromium within " + BOUND + " for " + what
                    + ExternalProcesses.logTail(log), e);
        }
    }

    /** Collects the frames of each message and hands replies and awaited events to whoever waits for them. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode node = JSON.readTree(message.toString());
                    if (node.has("id")) {
                        CompletableFuture<JsonNode> reply = replies.remove(node.path("id").asInt());
                        if (reply != null) {
                            reply.complete(node);
                        }
                    } else {
                        CompletableFuture<JsonNode> event = awaitedEvents.remove(node.path("method").asText());
                        if (event != null) {
                            event.complete(node.path("params"));
                        }
                    }
                } catch (IOException e) {
                    replies.values().forEach(reply -> reply.completeExceptionally(e));
                }
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            replies.values().forEach(reply -> reply.completeExceptionally(error));
        }
    }

    @Override
    public void close() {
        socket.abort();
    }
}
