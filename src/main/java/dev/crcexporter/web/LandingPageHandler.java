package dev.crcexporter.web;

import dev.crcexporter.poll.SnapshotStore;
import dev.crcexporter.web.toolkit.WebAccess;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;

/**
 * Serves the landing page ({@code /}, {@code /?page=2}) as the scrapes are served, so that clients that ask for pages
 * and stop reading hold no server thread: rendered on the request's thread, then sent without blocking. A page that
 * does not exist is 400. A page is megabytes with hundreds of accounts: at most {@link ScrapeMemory#PAGES_AT_ONCE}
 * are rendered or being sent at once (the memory contract counts them), more are 503 with {@code Retry-After: 1}.
 */
final class LandingPageHandler extends AnswerHandler {
    static final String PATH = "/";
    private final LandingPage landingPage;
    private final SnapshotStore store;
    private final Semaphore pages = new Semaphore(ScrapeMemory.PAGES_AT_ONCE);

    LandingPageHandler(LandingPage landingPage, SnapshotStore store, Supplier<WebAccess> access) {
        super(PATH, access);
        this.landingPage = landingPage;
        this.store = store;
    }

    @Override
    void answer(Request request, Reply reply) {
        if (!pages.tryAcquire()) {
            reply.send(Answers.Answer.busy("Busy: " + ScrapeMemory.PAGES_AT_ONCE
                    + " landing pages are being sent; retry in a second"), () -> {});
            return;
        }
        Answers.Answer answer;
        try {
            answer = Answers.Answer.of(200, "text/html; charset=utf-8", landingPage.render(store.all(),
                    Request.extractQueryParameters(request).getValue("page")));
        } catch (AccountPages.NoSuchPage e) {
            answer = Answers.Answer.text(400, e.getMessage());
        } catch (RuntimeException | Error e) {
            pages.release();
            throw e;
        }
        reply.send(answer, pages::release);
    }
}
