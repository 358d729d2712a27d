package dev.gantry.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.core.pipeline.DeployDef;
import dev.gantry.core.pipeline.EnvironmentDef;
import dev.gantry.core.pipeline.Pipeline;
import dev.gantry.core.plan.Revision;
import dev.gantry.core.validate.Pipelines;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentsTest {

    /** Loaded from YAML, so the order and the globs are exactly what a pipeline file gives. */
    private static final Pipeline PIPELINE = Pipelines.load("gantry.yml", """
            environments:
              staging:    {when: {branches: [main, "release/**"]}}
              production: {when: {tags: ["v*"]}, keep_releases: 10}
              preview:    {when: {branches: ["feature/*"], tags: ["v*-rc*"]}}
              sandbox:    {}
            jobs:
              ship:
                deploy: {service: {command: serve, port: 8080}}
            """.getBytes(StandardCharsets.UTF_8), Map.of());

    private static Optional<String> auto(String branch, String tag) {
        return Environments.select(PIPELINE, DeployDef.AUTO, new Revision("abc123", branch, tag))
                .map(EnvironmentDef::name);
    }

    @Test
    void autoChoosesTheEnvironmentWhoseWhenMatchesTheBranch() {
        assertThat(auto("main", null)).contains("staging");
        assertThat(auto("release/2.0/hotfix", null)).as("** crosses segments").contains("staging");
        assertThat(auto("feature/voices", null)).contains("preview");
        assertThat(auto("feature/voices/emotion", null)).as("* stays in one segment").isEmpty();
    }

    @Test
    void autoChoosesTheEnvironmentWhoseWhenMatchesTheTag() {
        assertThat(auto(null, "v1.4.0")).contains("production");
        assertThat(auto(null, "1.4.0")).isEmpty();
    }

    @Test
    void theFirstMatchingEnvironmentInFileOrderWins() {
        assertThat(auto(null, "v2.0-rc1")).as("production and preview both match v2.0-rc1").contains("production");
        assertThat(auto("main", "v1.0")).as("staging and production both match").contains("staging");
    }

    @Test
    void autoMatchingNothingIsEmptySoTheDeployIsSkippedAndSaysWhy() {
        Revision revision = new Revision("abc123", "bugfix/typo", null);
        assertThat(Environments.select(PIPELINE.environments(), DeployDef.AUTO, revision)).isEmpty();
        assertThat(auto(null, null)).as("nothing known about the ref").isEmpty();
        assertThat(Environments.noMatch(PIPELINE.environments(), revision)).isEqualTo("environment: auto: branch"
                + " 'bugfix/typo' (no tag) matches no environment's when (staging: branches [main, release/**];"
                + " production: tags [v*]; preview: branches [feature/*], tags [v*-rc*]; sandbox: by name only);"
                + " the deploy is skipped");
    }

    @Test
    void anEnvironmentWithoutWhenIsNeverChosenByAutoOnlyByName() {
        EnvironmentDef sandbox = PIPELINE.environments().get("sandbox");
        assertThat(Environments.matches(sandbox, new Revision("abc123", "main", "v1.0"))).isFalse();
        assertThat(Environments.select(PIPELINE, "sandbox", Revision.NONE)).contains(sandbox);
    }

    @Test
    void aNamedEnvironmentIsChosenWhateverTheRef() {
        Optional<EnvironmentDef> production = Environments.select(PIPELINE, "production",
                new Revision("abc123", "feature/x", null));
        assertThat(production).map(EnvironmentDef::keepReleases).contains(10);
    }

    @Test
    void anUndeclaredNameIsABugTheValidatorPrevents() {
        assertThatThrownBy(() -> Environments.select(PIPELINE, "qa", Revision.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown environment 'qa'; declared: staging, production, preview, sandbox");
    }
}
