package dev.gantry.server.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitMirrorTest {

    @Test
    void credentialsInAnAddressAreNeverShown() {
        assertThat(GitMirror.display("https://ada:ghp_s3cret@github.com/team/tts.git"))
                .isEqualTo("https://***@github.com/team/tts.git");
        assertThat(GitMirror.display("https://oauth2@gitlab.example.com/team/tts.git"))
                .isEqualTo("https://***@gitlab.example.com/team/tts.git");
        assertThat(GitMirror.display("git@github.com:team/tts.git")).isEqualTo("git@github.com:team/tts.git");
        assertThat(GitMirror.display("/srv/git/tts")).isEqualTo("/srv/git/tts");
    }
}
