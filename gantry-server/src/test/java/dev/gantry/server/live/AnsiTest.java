package dev.gantry.server.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnsiTest {

    @Test
    void coloursBecomeSpansAndTextIsEscaped() {
        assertThat(Ansi.toHtml("\u001b[32mok\u001b[0m <b>&")).isEqualTo("<span class=\"a-green\">ok</span> &lt;b&gt;&amp;");
        assertThat(Ansi.toHtml("\u001b[1;91mFAIL\u001b[39m still bold\u001b[m"))
                .isEqualTo("<span class=\"a-bright-red a-bold\">FAIL</span><span class=\"a-bold\"> still bold</span>");
    }

    @Test
    void otherEscapesAndControlCharactersAreDropped() {
        assertThat(Ansi.toHtml("\u001b[2K\u001b[1Gprogress\r\u0007 done\t!")).isEqualTo("progress done\t!");
        assertThat(Ansi.toHtml("\"quoted\" 'x'")).isEqualTo("&quot;quoted&quot; &#39;x&#39;");
    }
}
