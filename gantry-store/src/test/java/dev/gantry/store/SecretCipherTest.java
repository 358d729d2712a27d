package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretCipherTest {

    @TempDir
    Path data;

    @Test
    void createsAnOwnerOnlyKeyFileOnFirstUseAndReusesIt() throws Exception {
        SecretCipher first = SecretCipher.load(data, null);
        Path key = data.resolve(SecretCipher.KEY_FILE);
        assertThat(Files.getPosixFilePermissions(key))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String sealed = first.seal(null, "name", "a secret value");
        assertThat(SecretCipher.load(data, null).open(null, "name", sealed)).isEqualTo("a secret value");
        try (var files = Files.list(data)) {
            assertThat(files).containsExactly(key);
        }
    }

    @Test
    void threadsCreatingTheKeyAtOnceAllGetTheSameOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SecretCipher>> loads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                loads.add(pool.submit(() -> SecretCipher.load(data, null)));
            }
            String sealed = loads.get(0).get().seal("p", "n", "same key for all");
            for (Future<SecretCipher> f : loads) {
                assertThat(f.get().open("p", "n", sealed)).isEqualTo("same key for all");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theEnvironmentKeyOverridesTheKeyFile() throws Exception {
        byte[] key = new byte[32];
        key[5] = 42;
        String base64 = Base64.getEncoder().encodeToString(key);
        String sealed = SecretCipher.load(data, base64).seal(null, "n", "sealed with env");
        assertThat(new SecretCipher(key).open(null, "n", sealed)).isEqualTo("sealed with env");
        assertThat(data.resolve(SecretCipher.KEY_FILE)).doesNotExist();
    }

    @Test
    void refusesAnEnvironmentKeyOfTheWrongSize() {
        assertThatThrownBy(() -> SecretCipher.load(data, Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(IOException.class).hasMessageContaining("16 bytes, not 32");
        assertThatThrownBy(() -> SecretCipher.load(data, "not base64 !"))
                .isInstanceOf(IOException.class).hasMessageContaining("not base64");
    }

    @Test
    void sealsTheSameValueDifferentlyEachTime() {
        SecretCipher c = new SecretCipher(new byte[32]);
        assertThat(c.seal(null, "n", "a secret value")).isNotEqualTo(c.seal(null, "n", "a secret value"));
        assertThat(Set.of(c.seal(null, "n", "a secret value"))).allSatisfy(s -> assertThat(s).doesNotContain("secret"));
    }
}
