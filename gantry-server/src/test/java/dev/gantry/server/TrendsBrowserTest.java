package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A pipeline's trends and flaky tests, and the log view's sections, timestamps, line links and search, in a real
 * Chromium against a real server that ran real builds of a git repository: four builds, where a test fails on the
 * first attempt of build 1 and passes on its retry, another fails in build 2 and passes when build 2 is rebuilt
 * (build 3), and a split job's shards take longer each build. Screenshots are kept under target/screenshots.
 */
class TrendsBrowserTest {

    private static final Duration LONG = Duration.ofMinutes(2);

    static final String PIPELINE = """
            name: voice
            jobs:
              unit:
                parallelism: 2
                steps:
                  - run: echo "preparing shard $GANTRY_NODE_INDEX"
                  - run: bash report.sh
                ensure:
                  - test_results: reports/*.xml
              net:
                retry: 2
                steps:
                  - run: bash net.sh
                ensure:
                  - test_results: reports/*.xml
            """;

    /** Shard 0 runs Alpha and Delta, shard 1 Beta and Gamma; each takes a second longer each build. */
    static final String REPORT = """
            mkdir -p reports
            if [ "$GANTRY_NODE_INDEX" = 0 ]; then classes="a.Alpha a.Delta"; else classes="a.Beta a.Gamma"; fi
            for c in $classes; do
              case $c in a.Alpha) t=4;; a.Beta) t=3;; a.Gamma) t=2;; *) t=1;; esac
              t=$((t + GANTRY_BUILD))
              body="<testcase classname=\\"$c\\" name=\\"works\\" time=\\"$t\\"/>"
              if [ "$c" = a.Delta ] && [ "$GANTRY_BUILD" = 2 ]; then
                body="<testcase classname=\\"$c\\" name=\\"works\\" time=\\"1\\"><failure message=\\"reset\\"/></testcase>"
              fi
              echo "<testsuite name=\\"$c\\">$body</testsuite>" > "reports/TEST-$c.xml"
              echo "ran $c in $t s"
            done
            if grep -q failure reports/*.xml; then echo "a test failed"; exit 1; fi
            """;

    static final String NET = """
            mkdir -p reports
            if [ "$GANTRY_BUILD" = 1 ] && [ "$GANTRY_ATTEMPT" = 1 ]; then
              echo '<testsuite name="n"><testcase classname="b.Net" name="connects" time="0.2"><failure message="timeout"/></testcase></testsuite>' > reports/TEST-n.xml
              echo "connect timed out"
              exit 1
            fi
            echo '<testsuite name="n"><testcase classname="b.Net" name="connects" time="0.2"/></testsuite>' > reports/TEST-n.xml
            echo "connected"
            """;

    @TempDir
    Path tmp;
    private ServerFixture server;
    private GitRepo repo;
    private ChromeDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (repo != null) {
            repo.close();
        }
    }

    private JsonNode build(long number, String status) {
        JsonNode b = server.awaitBuild("voice", number, LONG);
        assertThat(b.path("build").path("status").asText()).as("build #%d", number).isEqualTo(status);
        return b;
    }

    @Test
    void showsTrendsFlakyTestsAndALogWithStepSectionsTimesLinksAndSearch() throws Exception {
        assumeTrue(Files.isExecutable(BrowserTest.CHROMIUM) && Files.isExecutable(BrowserTest.DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        repo = new GitRepo(tmp.resolve("repo"));
        repo.commit("report.sh", REPORT, "report");
        repo.commit("net.sh", NET, "net");
        repo.commit("gantry.yml", PIPELINE, "pipeline");
        server = new ServerFixture(tmp.resolve("data"));
        server.addPipeline(repo.dir(), "voice", "1h", null);
        build(1, "succeeded");
        server.post("/api/pipelines/voice/builds", "");
        build(2, "failed");
        server.post("/api/pipelines/voice/builds/2/rebuild", "");
        build(3, "succeeded");
        server.post("/api/pipelines/voice/builds", "");
        build(4, "succeeded");

        JsonNode flaky = server.get("/api/pipelines/voice/flaky").json().path("flaky");
        assertThat(flaky.findValuesAsText("name")).containsExactly("works", "connects");
        assertThat(flaky.get(0).path("sightings").get(0).path("how").asText()).isEqualTo("rebuild");
        assertThat(flaky.get(0).path("sightings").get(0).path("failed_in").asLong()).isEqualTo(2);
        assertThat(flaky.get(0).path("sightings").get(0).path("passed_in").asLong()).isEqualTo(3);
        assertThat(flaky.get(1).path("sightings").get(0).path("how").asText()).isEqualTo("retry");

        browser = BrowserTest.chromium(tmp.resolve("chromium"), 1400);
        browser.get(server.url("/pipelines/voice"));
        WebElement trends = browser.findElement(By.id("trends"));
        assertThat(browser.findElement(By.id("pass-rate")).getText()).contains("75%", "3 of 4");
        List<WebElement> bars = trends.findElements(By.cssSelector("#trend-durations rect.bar"));
        assertThat(bars).extracting(b -> b.getAttribute("data-number")).containsExactly("1", "2", "3", "4");
        assertThat(bars.get(1).getAttribute("class")).contains("status-failed");
        assertThat(trends.findElements(By.cssSelector("#trend-jobs polyline")))
                .extracting(p -> p.getAttribute("data-series")).contains("unit", "net");
        assertThat(browser.findElement(By.cssSelector("#job-trends tr[data-job=unit]")).getText()).contains("75% of 4");
        List<WebElement> slowest = browser.findElements(By.cssSelector("#slowest-tests tbody tr"));
        assertThat(slowest.get(0).getText()).contains("a.Alpha.works", "unit", "8.00s", "+33%");
        WebElement balance = browser.findElement(By.cssSelector("figure.shard-balance[data-job=unit]"));
        assertThat(balance.findElements(By.cssSelector("polyline")))
                .extracting(p -> p.getAttribute("data-series"))
                .contains("actual slowest", "actual fastest", "predicted slowest", "predicted fastest");
        List<WebElement> flakyRows = browser.findElements(By.cssSelector("#flaky-tests tbody tr"));
        assertThat(flakyRows).hasSize(2);
        assertThat(flakyRows.get(0).getText()).contains("a.Delta.works", "rebuild", "#2 → #3");
        assertThat(flakyRows.get(1).getText()).contains("b.Net.connects", "retry", "#1");
        shot("trends");

        browser.get(server.url("/pipelines/voice/builds/3"));
        assertThat(browser.findElement(By.id("flaky-in-build")).getText())
                .contains("a.Delta.works", "failed, then passed on a rebuild");
        assertThat(browser.findElements(By.cssSelector("#tests .badge.flaky"))).isNotEmpty();
        shot("flaky-badge");

        browser.findElement(By.id("pin")).click();
        await().atMost(LONG).ignoreExceptions().untilAsserted(() ->
                assertThat(browser.findElement(By.id("pinned")).getText()).contains("pinned"));
        assertThat(server.get("/api/pipelines/voice/builds/3").json().path("pinned").asBoolean()).isTrue();

        logView();
    }

    /** The net task of build 1: two attempts' steps as sections, then times, a line link and search. */
    private void logView() throws Exception {
        browser.get(server.url("/pipelines/voice/builds/2/tasks/unit%5B0%5D"));
        WebElement log = browser.findElement(By.id("log"));
        await().atMost(LONG).until(() -> "true".equals(log.getAttribute("data-ended")));
        List<WebElement> sections = log.findElements(By.cssSelector("details.section"));
        assertThat(sections).hasSizeGreaterThanOrEqualTo(2);
        WebElement prepare = sections.get(0);
        WebElement report = sections.get(1);
        assertThat(prepare.findElement(By.tagName("summary")).getText()).contains("echo", "succeeded", "exit 0");
        assertThat(prepare.findElements(By.cssSelector("div.line"))).extracting(WebElement::getText)
                .containsExactly("preparing shard 0");
        assertThat(report.findElement(By.tagName("summary")).getText()).contains("bash report.sh", "failed",
                "exit 1");
        assertThat(report.getAttribute("data-status")).isEqualTo("failed");
        assertThat(report.findElements(By.cssSelector("div.line"))).extracting(WebElement::getText)
                .containsExactly("ran a.Alpha in 6 s", "ran a.Delta in 3 s", "a test failed");

        report.findElement(By.tagName("summary")).click();
        assertThat(report.getAttribute("open")).as("collapsed").isNull();
        assertThat(report.findElement(By.cssSelector("div.line")).isDisplayed()).isFalse();

        WebElement times = browser.findElement(By.id("timestamps"));
        assertThat(log.findElement(By.cssSelector("span.ts")).isDisplayed()).isFalse();
        times.click();
        assertThat(log.getAttribute("class")).contains("times");
        assertThat(log.findElement(By.cssSelector("span.ts")).isDisplayed()).isTrue();
        assertThat(log.findElement(By.cssSelector("span.ts")).getAttribute("data-ts")).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        shot("log-sections");

        browser.get(server.url("/pipelines/voice/builds/2/tasks/unit%5B0%5D#L3"));
        WebElement linked = browser.findElement(By.id("log"));
        await().atMost(LONG).ignoreExceptions().untilAsserted(() -> assertThat(linked.findElement(By.id("L3"))
                .getAttribute("class")).contains("target"));
        assertThat(linked.findElement(By.id("L3")).getText()).isEqualTo("ran a.Delta in 3 s");
        assertThat(linked.findElement(By.cssSelector("#L3 a.ln")).getAttribute("href")).endsWith("#L3");

        WebElement search = browser.findElement(By.id("log-search"));
        search.sendKeys("ran a.");
        assertThat(browser.findElement(By.id("search-count")).getText()).isEqualTo("2 matching lines");
        search.sendKeys("delta");
        assertThat(browser.findElement(By.id("search-count")).getText()).isEqualTo("1 matching line");
        search.sendKeys(Keys.ENTER);
        assertThat(linked.findElement(By.cssSelector("div.line.current")).getText()).isEqualTo("ran a.Delta in 3 s");
        shot("log-search");
    }

    private void shot(String name) throws Exception {
        Files.write(BrowserTest.SHOTS.resolve("trends-" + name + ".png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
