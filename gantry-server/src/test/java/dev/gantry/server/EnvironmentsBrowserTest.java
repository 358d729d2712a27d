package dev.gantry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The environments page in a real headless Chromium, on a server with a token: signed in once, a person follows
 * the pipeline's link to its environments, sees what is live, and clicks "roll back to 1"; the previous release
 * then answers on the stable port. Screenshots go to {@code target/screenshots/}.
 */
class EnvironmentsBrowserTest {

    static final Duration LONG = Duration.ofSeconds(90);
    static final String TOKEN = "browser-token-1234";

    @TempDir
    Path tmp;
    GitRepo repo;
    ServerFixture server;
    HookReceiver hooks;
    ChromeDriver browser;

    @AfterEach
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
            if (server != null) {
                server.close();
                DeployedReleases.stopAll(server.dataDir);
            }
        } finally {
            if (hooks != null) {
                hooks.close();
            }
            if (repo != null) {
                repo.close();
            }
        }
    }

    @Test
    void rollsBackFromTheEnvironmentsPage() throws Exception {
        assumeTrue(Files.isExecutable(BrowserTest.CHROMIUM) && Files.isExecutable(BrowserTest.DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        hooks = new HookReceiver();
        int port = DeployedReleases.freePort();
        repo = new GitRepo(tmp.resolve("repo"));
        String yaml = DeployedReleases.pipeline(port, tmp.resolve("unhealthy"), "{max: 3, within: 10m}", "alert",
                hooks);
        repo.commit("gantry.yml", yaml, "First");
        server = new ServerFixture(ServerFixture.settings(tmp.resolve("data"), 2, 0).withToken(TOKEN));
        String auth = "Bearer " + TOKEN;
        server.post("/api/pipelines", "{\"repository\":\"" + repo.dir() + "\",\"name\":\"tts\",\"check_every\":\"1h\"}",
                "Authorization", auth);
        await().atMost(LONG).until(() -> DeployedReleases.release(port) == 1);
        repo.commit("gantry.yml", yaml + "# second\n", "Second");
        server.post("/api/pipelines/tts/builds", "", "Authorization", auth);
        await().atMost(LONG).until(() -> DeployedReleases.release(port) == 2);

        browser = BrowserTest.chromium(tmp.resolve("chromium"), 1000);

        browser.get(server.url("/pipelines/tts"));
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        // a click that navigates returns before the next page is there: wait for each page, never race it
        await().atMost(LONG).ignoreExceptions().until(() -> {
            browser.findElement(By.id("environments-link")).click();
            return true;
        });
        await().atMost(LONG).ignoreExceptions().untilAsserted(() -> assertThat(browser.findElement(
                By.cssSelector("#env-production p.live")).getText()).contains("Live: release 2", "build #2", "main"));
        await().atMost(LONG).ignoreExceptions().until(() -> {
            browser.navigate().refresh();
            return browser.findElement(By.cssSelector("#env-production p.live")).getText().contains("health passing");
        });
        shot("environments");

        browser.findElement(By.cssSelector("tr[data-release='1'] button")).click();
        // the answer comes back by htmx, after the click returned: wait for it rather than race it
        await().atMost(LONG).ignoreExceptions().untilAsserted(() -> assertThat(browser.findElement(By.id("message"))
                .getText()).contains("rollback of tts/production to release 1"));
        await().atMost(LONG).until(() -> DeployedReleases.release(port) == 1);
        browser.get(server.url("/pipelines/tts/environments"));
        assertThat(browser.findElement(By.cssSelector("#env-production p.live")).getText()).contains("Live: release 1");
        assertThat(browser.findElement(By.cssSelector("tr[data-release='2'] .badge")).getText())
                .isEqualTo("rolled_back");
        shot("rolled-back");

        browser.findElement(By.cssSelector("tr[data-release='2'] td a")).click();
        await().atMost(LONG).ignoreExceptions().untilAsserted(() -> assertThat(browser.findElement(By.id("status"))
                .getText()).isEqualTo("rolled_back"));
        assertThat(browser.findElement(By.id("service-log")).getText()).contains("serving on " + port);
        shot("release");
    }

    private void shot(String name) throws Exception {
        Files.write(BrowserTest.SHOTS.resolve("deploy-" + name + ".png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
