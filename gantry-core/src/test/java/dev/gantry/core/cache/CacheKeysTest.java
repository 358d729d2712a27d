package dev.gantry.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

    private static final CacheKeys.Context CONTEXT = new CacheKeys.Context() {
        public String checksum(String f) {
            return "sum(" + f + ")";
        }

        public String branch() {
            return "main";
        }

        public String revision() {
            return "abc123";
        }

        public Map<String, String> environment() {
            return Map.of("PY", "3.11");
        }

        public String arch() {
            return "linux-amd64";
        }

        public long epochSeconds() {
            return 1700000000L;
        }
    };

    @Test
    void rendersEveryExpression() {
        assertThat(CacheKeys.render("deps-v1-{{ checksum \"pom.xml\" }}-{{ .Branch }}-{{.Revision}}-"
                + "{{ .Environment.PY }}-{{ arch }}-{{ epoch }}-{{ .Environment.NOPE }}", CONTEXT))
                .isEqualTo("deps-v1-sum(pom.xml)-main-abc123-3.11-linux-amd64-1700000000-");
    }

    @Test
    void namesUnknownExpressions() {
        assertThat(CacheKeys.problem("deps-{{ checksum pom.xml }}")).get().asString()
                .startsWith("unknown expression '{{ checksum pom.xml }}' in cache key");
        assertThat(CacheKeys.problem("deps-{{ .Branch")).contains("unclosed '{{' in cache key");
        assertThat(CacheKeys.problem("deps-{{ checksum \"**/*.lock\" }}-{{ .Branch }}")).isEmpty();
    }
}
