package dev.gantry.engine.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    private static final String SECRET = "hf_Zx9/q+T\"oken\\é-42";
    private final SecretMasker masker = SecretMasker.of(List.of(SECRET));

    @Test
    void masksThePlainValueEveryTimeItAppears() {
        assertThat(masker.mask("token=" + SECRET + " again " + SECRET)).isEqualTo("token=*** again ***");
        assertThat(masker.mask("nothing secret here")).isEqualTo("nothing secret here");
        assertThat(masker.mask(null)).isNull();
    }

    @Test
    void masksBase64OfTheSecretInsideLongerTextAtEveryByteAlignment() {
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        for (String prefix : List.of("", "a", "ab", "abc", "Authorization: Basic user:")) {
            for (String suffix : List.of("", "x", "xy", ":suffix")) {
                byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
                byte[] s = suffix.getBytes(StandardCharsets.UTF_8);
                byte[] all = new byte[p.length + secret.length + s.length];
                System.arraycopy(p, 0, all, 0, p.length);
                System.arraycopy(secret, 0, all, p.length, secret.length);
                System.arraycopy(s, 0, all, p.length + secret.length, s.length);
                for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder(),
                        Base64.getEncoder().withoutPadding())) {
                    String encoded = encoder.encodeToString(all);
                    String masked = masker.mask("echo " + encoded);
                    assertThat(masked).as("base64 of '%s' + secret + '%s': %s", prefix, suffix, encoded)
                            .contains(SecretMasker.MASK)
                            .doesNotContain(SecretMasker.base64At(secret, p.length % 3))
                            .doesNotContain(SecretMasker.base64At(secret, p.length % 3).replace('+', '-')
                                    .replace('/', '_'));
                    // what is left decodes to at most the neighbouring bytes, never enough of the secret
                    assertThat(masked.length()).isLessThan(("echo " + encoded).length() - 20);
                }
            }
        }
    }

    @Test
    void masksTheUrlEncodedValue() {
        String form = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        assertThat(masker.mask("GET /?token=" + form + "&x=1")).isEqualTo("GET /?token=***&x=1");
        assertThat(masker.mask("q=" + form.replace("+", "%20"))).isEqualTo("q=***");
        String lowerHex = java.util.regex.Pattern.compile("%[0-9A-F]{2}").matcher(form)
                .replaceAll(m -> m.group().toLowerCase(java.util.Locale.ROOT));
        assertThat(lowerHex).isNotEqualTo(form);
        assertThat(masker.mask("q=" + lowerHex)).isEqualTo("q=***");
    }

    @Test
    void masksTheJsonEscapedValueAsCommonSerialisersWriteIt() throws Exception {
        String jackson = new ObjectMapper().writeValueAsString(Map.of("token", SECRET));
        assertThat(masker.mask(jackson)).isEqualTo("{\"token\":\"***\"}");
        String pythonAscii = "{\"token\": \"hf_Zx9/q+T\\\"oken\\\\\\u00e9-42\"}";
        assertThat(masker.mask(pythonAscii)).isEqualTo("{\"token\": \"***\"}");
        String slashEscaped = "{\"token\":\"hf_Zx9\\/q+T\\\"oken\\\\é-42\"}";
        assertThat(masker.mask(slashEscaped)).isEqualTo("{\"token\":\"***\"}");
    }

    @Test
    void masksAValueWrittenInTwoPiecesOnceTheyMakeOneLine() throws Exception {
        // a process writes half the secret, then the rest: the line reader joins the writes before masking
        java.io.PipedOutputStream out = new java.io.PipedOutputStream();
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.io.PipedInputStream(out), StandardCharsets.UTF_8));
        byte[] bytes = ("token: " + SECRET + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, 12);
        out.flush();
        out.write(bytes, 12, bytes.length - 12);
        out.close();
        assertThat(masker.mask(in.readLine())).isEqualTo("token: ***");
    }

    @Test
    void masksEachLineOfAMultiLineValue() {
        SecretMasker pem = SecretMasker.of(List.of("-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END KEY-----"));
        assertThat(pem.mask("line: MIIEvQIBADANBgkqhkiG9w0B")).isEqualTo("line: ***");
    }

    @Test
    void masksTheLongerOfTwoOverlappingSecretsWhole() {
        SecretMasker two = SecretMasker.of(List.of("password1", "password1-extended"));
        assertThat(two.mask("a password1-extended b password1")).isEqualTo("a *** b ***");
    }

    @Test
    void aMaskerWithoutSecretsChangesNothing() {
        assertThat(SecretMasker.NONE.mask("anything")).isEqualTo("anything");
        assertThat(Secrets.of(Map.of("a", "a-long-secret")).toString()).isEqualTo("Secrets[a]")
                .doesNotContain("a-long-secret");
    }
}
