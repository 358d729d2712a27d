package dev.gantry.core.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How one line fills the request template: JSON types kept, text written in, the path URL-encoded. */
class RequestTemplateTest {

    private static RequestTemplate body(Object body) {
        return new RequestTemplate("POST", "/tts", Map.of(), body);
    }

    private static Map<String, Object> line(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void aStringThatIsOnlyAPlaceholderTakesTheFieldsJsonValueAsItIs() throws Exception {
        RequestTemplate t = body(Map.of("n", "{{ .n }}", "f", "{{.f}}", "b", " {{ .b }} ", "o", "{{ .o }}",
                "l", "{{ .l }}", "s", "{{ .s }}"));
        Object filled = t.fill(line("n", 5L, "f", 0.5, "b", true, "o", Map.of("pitch", 1.1), "l", List.of(1, 2),
                "s", "text")).body();
        assertThat(filled).isEqualTo(Map.of("n", 5L, "f", 0.5, "b", true, "o", Map.of("pitch", 1.1),
                "l", List.of(1, 2), "s", "text"));
    }

    @Test
    void writesFieldsIntoTextAsText() throws Exception {
        RequestTemplate t = body(Map.of("text", "Say {{ .text }} as {{ .voice }}, take {{ .take }}"));
        assertThat(t.fill(line("text", "hello", "voice", "kevin16", "take", 3L)).body())
                .isEqualTo(Map.of("text", "Say hello as kevin16, take 3"));
    }

    @Test
    void fillsListsAndNestedObjectsOfTheTemplateAndLeavesOtherValuesAlone() throws Exception {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("input", List.of("{{ .a }}", Map.of("deep", "x{{ .a }}x")));
        template.put("speed", 1.25);
        template.put("style", null);
        Object filled = body(template).fill(line("a", "A")).body();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("input", List.of("A", Map.of("deep", "xAx")));
        expected.put("speed", 1.25);
        expected.put("style", null);
        assertThat(filled).isEqualTo(expected);
    }

    @Test
    void readsNestedFieldsWithDots() throws Exception {
        RequestTemplate t = new RequestTemplate("POST", "/v/{{ .voice.name }}", Map.of("X-Lang", "{{ .voice.lang }}"),
                Map.of("speed", "{{ .voice.prosody.speed }}"));
        RequestTemplate.Filled f = t.fill(line("voice", Map.of("name", "anna", "lang", "de",
                "prosody", Map.of("speed", 1.1))));
        assertThat(f.path()).isEqualTo("/v/anna");
        assertThat(f.headers()).containsExactly(Map.entry("X-Lang", "de"));
        assertThat(f.body()).isEqualTo(Map.of("speed", 1.1));
    }

    @Test
    void aMissingFieldCannotFillTheTemplate() {
        RequestTemplate t = body(Map.of("text", "{{ .input_text }}"));
        assertThatThrownBy(() -> t.fill(line("text", "hello"))).isInstanceOf(TemplateException.class)
                .hasMessage("the line has no field 'input_text' for the request template");
        RequestTemplate nested = body(Map.of("v", "{{ .voice.name }}"));
        assertThatThrownBy(() -> nested.fill(line("voice", "anna"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("'voice.name'");
        assertThatThrownBy(() -> t.fill(line("input_text", null))).isInstanceOf(TemplateException.class)
                .hasMessage("field 'input_text' is null");
    }

    @Test
    void urlEncodesWhatItWritesIntoThePathButNotIntoHeadersOrBody() throws Exception {
        RequestTemplate t = new RequestTemplate("GET", "/tts/{{ .voice }}?text={{ .text }}",
                Map.of("X-Voice", "{{ .voice }}"), Map.of("v", "v={{ .voice }}"));
        RequestTemplate.Filled f = t.fill(line("voice", "kevin 16/ü&x", "text", "a+b=c"));
        assertThat(f.path()).isEqualTo("/tts/kevin%2016%2F%C3%BC%26x?text=a%2Bb%3Dc");
        assertThat(f.headers()).containsEntry("X-Voice", "kevin 16/ü&x");
        assertThat(f.body()).isEqualTo(Map.of("v", "v=kevin 16/ü&x"));
    }

    @Test
    void anObjectOrAListCannotBeWrittenInsideText() {
        RequestTemplate t = body(Map.of("text", "settings: {{ .settings }}"));
        assertThatThrownBy(() -> t.fill(line("settings", Map.of("a", 1)))).isInstanceOf(TemplateException.class)
                .hasMessage("field 'settings' is an object, which cannot be written inside text");
        assertThatThrownBy(() -> t.fill(line("settings", List.of(1)))).isInstanceOf(TemplateException.class)
                .hasMessage("field 'settings' is an array, which cannot be written inside text");
        RequestTemplate path = new RequestTemplate("POST", "/{{ .settings }}", Map.of(), null);
        assertThatThrownBy(() -> path.fill(line("settings", Map.of("a", 1)))).isInstanceOf(TemplateException.class);
    }

    @Test
    void fillingLeavesTheTemplateAsItWas() throws Exception {
        Map<String, Object> template = new LinkedHashMap<>(Map.of("text", "{{ .t }}"));
        RequestTemplate t = body(template);
        t.fill(line("t", "one"));
        assertThat(t.body()).isEqualTo(Map.of("text", "{{ .t }}"));
        assertThat(t.fill(line("t", "two")).body()).isEqualTo(Map.of("text", "two"));
    }

    @Test
    void listsThePlaceholdersFields() {
        RequestTemplate t = new RequestTemplate("POST", "/{{ .voice }}", Map.of("X-Id", "{{ .id }}"),
                Map.of("in", List.of("{{ .a.b }} and {{ .c }}")));
        assertThat(t.fields()).containsExactlyInAnyOrder("voice", "id", "a.b", "c");
    }

    @Test
    void findsDoubleBracesThatAreNotPlaceholders() {
        assertThat(RequestTemplate.malformed("{{ .a }} {{.b.c}} {{ .d-e }} plain text")).isEmpty();
        assertThat(RequestTemplate.malformed("Say {{ input_text }} as {{ .voice }}"))
                .containsExactly("{{ input_text }}");
        assertThat(RequestTemplate.malformed("{{ .a b }} {{ }} {{ .x")).containsExactly("{{ .a b }}", "{{ }}",
                "{{ .x");
        assertThat(RequestTemplate.malformed("{ .a } and } {")).as("single braces are text").isEmpty();
    }
}
