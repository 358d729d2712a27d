package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium (Debian's chromium and chromium-driver, which {@code .ci/run} installs):
 * the pipelines page, a build followed live to its end, its log streamed over SSE. Screenshots are kept under
 * {@code target/screenshots/}.
 */
class BrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path tmp;
    GitRepo repo;
    ServerFixture server;
    ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        repo = new GitRepo(tmp.resolve("repo"));
        repo.commit("gantry.yml", """
                name: web
                jobs:
                  build:
                    steps:
                      - run: echo compiling
                  slow-log:
                    needs: [build]
                    steps:
                      - run: for i in $(seq 1 40); do printf '\\033[32mstep %d\\033[0m\\n' $i; sleep 0.1; done
                  report:
                    needs: [slow-log]
                    steps:
                      - run: echo done
                """, "A pipeline with a slow log");
        server = new ServerFixture(tmp.resolve("data"));
        browser = chromium(tmp.resolve("chromium"), 1000);
    }

    /** A headless Chromium with its own profile in {@code profile}, 1280 pixels wide; screenshots go to SHOTS. */
    static ChromeDriver chromium(Path profile, int height) throws java.io.IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280," + height);
        Files.createDirectories(SHOTS);
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }

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

    @Test
    void followsABuildLiveToItsEndAndStreamsItsLog() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(server.url("/"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Pipelines");
        assertThat(browser.getPageSource()).contains("No pipeline yet");

        server.addPipeline(repo.dir(), "web", "1h", null);
        wait.until(d -> server.buildCount("web") == 1);
        browser.get(server.url("/"));
        assertThat(browser.findElement(By.cssSelector("tr[data-pipeline=web]")).getText()).contains("web", "#1");
        shot("pipelines");

        browser.get(server.url("/pipelines/web/builds/1"));
        WebElement dag = browser.findElement(By.cssSelector("svg.dag"));
        assertThat(dag.findElements(By.cssSelector("g.job"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("path.edge"))).hasSize(2);

        // the page refreshes itself (htmx) until the build ends
        wait.until(d -> d.findElement(By.id("build-live")).getAttribute("data-status").equals("succeeded"));
        assertThat(browser.findElement(By.cssSelector("g.job[data-job=report]")).getAttribute("data-status"))
                .isEqualTo("succeeded");
        shot("build");

        server.post("/api/pipelines/web/builds", "");
        wait.until(d -> server.get("/api/pipelines/web/builds/2/logs/slow-log").json().path("lines").size() > 3);
        browser.get(server.url("/pipelines/web/builds/2/tasks/slow-log"));
        WebElement log = browser.findElement(By.id("log"));
        wait.until(d -> "true".equals(log.getAttribute("data-ended")));
        List<WebElement> lines = log.findElements(By.cssSelector("div.line"));
        assertThat(lines).hasSize(40);
        assertThat(lines.get(0).getText()).isEqualTo("step 1");
        assertThat(lines.get(39).getText()).isEqualTo("step 40");
        assertThat(lines.get(0).findElement(By.cssSelector("span.a-green")).getText()).isEqualTo("step 1");
        assertThat(browser.findElement(By.id("log-state")).getText()).isEqualTo("ended");
        shot("log");
    }

    @Test
    void aLongLogShowsItsTailAndPagesBackToTheStart() throws Exception {
        repo.commit("gantry.yml", "jobs:\n  long:\n    steps:\n      - run: seq 1 2500 | sed 's/^/row /'\n",
                "A long log");
        server.addPipeline(repo.dir(), "long", "1h", null);
        server.awaitBuild("long", 1, Duration.ofSeconds(60));
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(server.url("/pipelines/long/builds/1/tasks/long"));
        WebElement log = browser.findElement(By.id("log"));
        wait.until(d -> "true".equals(log.getAttribute("data-ended")));
        List<WebElement> tail = log.findElements(By.cssSelector("div.line"));
        assertThat(tail).hasSize(2000);
        assertThat(tail.get(0).getText()).isEqualTo("row 501");
        WebElement earlier = browser.findElement(By.id("earlier"));
        assertThat(earlier.getText()).isEqualTo("show 500 earlier lines");
        earlier.click();
        wait.until(d -> log.findElements(By.cssSelector("div.line")).size() == 2500);
        List<WebElement> all = log.findElements(By.cssSelector("div.line"));
        assertThat(all.get(0).getText()).isEqualTo("row 1");
        assertThat(all.get(500).getText()).isEqualTo("row 501");
        assertThat(browser.findElements(By.id("earlier"))).isEmpty();

        browser.get(server.url("/pipelines/long/builds/1"));
        assertThat(browser.findElements(By.cssSelector("#telemetry svg.chart"))).hasSizeGreaterThanOrEqualTo(2);
        shot("telemetry");
    }

    private void shot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
