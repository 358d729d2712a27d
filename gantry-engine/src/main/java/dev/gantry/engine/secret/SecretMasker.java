package dev.gantry.engine.secret;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces secret values with {@value #MASK} in text Gantry shows or keeps. Besides the value itself it masks the
 * forms a program commonly prints it in: base64 (standard and URL-safe) at each of the three byte alignments, so
 * the secret is masked inside the base64 of a longer text too (GitHub's masker leaked {@code base64(secret +
 * suffix)}); URL-encoded; JSON-escaped; and each line of a multi-line value. Output is masked a whole line at a
 * time, so a value a program wrote in two pieces without a newline between them is still caught.
 */
public final class SecretMasker {

    public static final String MASK = "***";

    /** Forms shorter than this are not masked on their own: they would hide ordinary text. */
    private static final int MIN_FORM = 6;

    public static final SecretMasker NONE = new SecretMasker(List.of());

    private final List<String> forms;

    private SecretMasker(List<String> forms) {
        this.forms = forms;
    }

    /** A masker for {@code values} and their encoded forms. */
    public static SecretMasker of(Collection<String> values) {
        Set<String> forms = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isEmpty()) {
                continue;
            }
            forms.addAll(formsOf(v));
            if (v.contains("\n") || v.contains("\r")) {
                v.lines().map(String::strip).filter(l -> l.length() >= MIN_FORM).forEach(l -> forms.addAll(formsOf(l)));
            }
        }
        forms.removeIf(f -> f.length() < MIN_FORM);
        List<String> sorted = new ArrayList<>(forms);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMasker(List.copyOf(sorted));
    }

    public boolean isEmpty() {
        return forms.isEmpty();
    }

    /** {@code text} with every form of every secret replaced by {@value #MASK}; null stays null. */
    public String mask(String text) {
        if (text == null || forms.isEmpty()) {
            return text;
        }
        String out = text;
        for (String form : forms) {
            if (out.contains(form)) {
                out = out.replace(form, MASK);
            }
        }
        return out;
    }

    /** A test result with secrets masked in every text it holds (a failure message may quote a secret). */
    public dev.gantry.core.junit.TestCase maskTest(dev.gantry.core.junit.TestCase t) {
        if (forms.isEmpty()) {
            return t;
        }
        return new dev.gantry.core.junit.TestCase(mask(t.suite()), mask(t.className()), mask(t.name()),
                mask(t.file()), t.seconds(), t.status(), mask(t.message()));
    }

    static List<String> formsOf(String value) {
        List<String> forms = new ArrayList<>();
        forms.add(value);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int offset = 0; offset < 3; offset++) {
            String b64 = base64At(bytes, offset);
            forms.add(b64);
            forms.add(b64.replace('+', '-').replace('/', '_'));
        }
        String form = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        forms.add(lowerHex(form));
        forms.add(lowerHex(form.replace("+", "%20")));
        forms.add(json(value, false, false));
        forms.add(json(value, true, false));
        forms.add(json(value, false, true));
        forms.add(json(value, true, true));
        return forms;
    }

    /**
     * The base64 characters that depend only on {@code bytes} when they follow {@code offset} other bytes: the
     * characters at either edge, which mix in the neighbouring bytes, are left out.
     */
    static String base64At(byte[] bytes, int offset) {
        byte[] padded = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, padded, offset, bytes.length);
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(padded);
        int first = (8 * offset + 5) / 6;
        int end = 8 * (offset + bytes.length) / 6;
        return end > first ? encoded.substring(first, end) : "";
    }

    private static String lowerHex(String urlEncoded) {
        StringBuilder b = new StringBuilder(urlEncoded.length());
        for (int i = 0; i < urlEncoded.length(); i++) {
            char c = urlEncoded.charAt(i);
            b.append(c);
            if (c == '%' && i + 2 < urlEncoded.length()) {
                b.append(Character.toLowerCase(urlEncoded.charAt(++i))).append(Character.toLowerCase(urlEncoded.charAt(++i)));
            }
        }
        return b.toString();
    }

    /** The value as it appears inside a JSON string, as Jackson, Python's json and others write it. */
    private static String json(String value, boolean escapeSlash, boolean asciiOnly) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '/' -> b.append(escapeSlash ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7e)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
