package dev.gantry.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageNameTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
            "python, -, python, -, -",
            "python:3.11-slim, -, python, 3.11-slim, -",
            "nvidia/cuda:12.2.0-base-ubuntu22.04, -, nvidia/cuda, 12.2.0-base-ubuntu22.04, -",
            "registry.example/tts-ci:torch29, registry.example, tts-ci, torch29, -",
            "registry.example:5000/team/tts, registry.example:5000, team/tts, -, -",
            "localhost/tts:dev, localhost, tts, dev, -",
            "localhost:5000/tts, localhost:5000, tts, -, -",
            "[::1]:5000/tts:v1, [::1]:5000, tts, v1, -",
            "team/my_image__x-y.z:V_1.0, -, team/my_image__x-y.z, V_1.0, -",
    })
    void takesAReferenceApart(String text, String registry, String path, String tag, String digest) {
        ImageName name = ImageName.parse(text);
        assertThat(name).isEqualTo(new ImageName(registry, path, tag, digest));
        assertThat(name.toString()).isEqualTo(text);
    }

    @Test
    void readsADigestWithOrWithoutATag() {
        assertThat(ImageName.parse("postgres@" + DIGEST)).isEqualTo(new ImageName(null, "postgres", null, DIGEST));
        ImageName both = ImageName.parse("reg.example:443/pg:16@" + DIGEST);
        assertThat(both).isEqualTo(new ImageName("reg.example:443", "pg", "16", DIGEST));
        assertThat(both.repository()).isEqualTo("reg.example:443/pg");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "Python", "python:", "python:-rc", "python:.rc", "py thon", "team//tts",
            "/tts", "tts/", "-tts", "tts-", "a..b", "reg.example/Team/tts", "-reg.example/tts", "tts@sha256:abc",
            "tts@md5:0123456789abcdef0123456789abcdef", "tts:1 ", "tts\t"})
    void refusesWhatDockerWouldRefuse(String text) {
        assertThat(ImageName.problem(text)).isPresent();
        assertThatThrownBy(() -> ImageName.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnEmptyName() {
        assertThat(ImageName.problem("")).isPresent();
    }

    @Test
    void limitsTagAndRepositoryLength() {
        assertThat(ImageName.problem("tts:" + "a".repeat(128))).isEmpty();
        assertThat(ImageName.problem("tts:" + "a".repeat(129))).get().asString().contains("tag");
        assertThat(ImageName.problem("a".repeat(255))).isEmpty();
        assertThat(ImageName.problem("a".repeat(256))).get().asString().contains("longer than 255");
    }

    @Test
    void saysWhatToFix() {
        assertThat(ImageName.problem("Python:3.11")).contains("'Python' in the repository must be lower-case: "
                + "'python'");
        assertThat(ImageName.problem("none")).get().asString().contains("reserved for a job's 'image: none'");
    }
}
