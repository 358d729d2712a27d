package dev.gantry.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.docker.host.DockerHostSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerHostSpecTest {

    @Test
    void readsNameUrlAndPools() {
        DockerHostSpec h = DockerHostSpec.parse("gpu1=tcp://10.0.0.5:2375;gpu=2;tts-slot=3");
        assertThat(h.name()).isEqualTo("gpu1");
        assertThat(h.url().toString()).isEqualTo("tcp://10.0.0.5:2375");
        assertThat(h.pools()).isEqualTo(Map.of("gpu", 2, "tts-slot", 3));
        assertThat(DockerHostSpec.parse("box=ssh://ci@gpu-box").pools()).isEqualTo(Map.of("gpu", 0));
        assertThat(DockerHostSpec.parse("local=unix:///var/run/docker.sock").url().getPath())
                .isEqualTo("/var/run/docker.sock");
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> DockerHostSpec.parse("tcp://x:2375")).hasMessageContaining("expected NAME=URL");
        assertThatThrownBy(() -> DockerHostSpec.parse("a=http://x")).hasMessageContaining("unix://, tcp:// or ssh://");
        assertThatThrownBy(() -> DockerHostSpec.parse("a=tcp://x:1;gpu=two")).hasMessageContaining("gpu=two");
        assertThatThrownBy(() -> DockerHostSpec.parse("a=tcp://x:1;tls=/nonexistent"))
                .hasMessageContaining("has no readable ca.pem");
        assertThatThrownBy(() -> DockerHostSpec.parse("a=unix:///s;tls=/etc")).hasMessageContaining("ca.pem");
        assertThatThrownBy(() -> DockerHostSpec.parse("a=ssh://u@h;ssh_config=/nonexistent"))
                .hasMessageContaining("ssh_config=/nonexistent is not a readable file");
        assertThatThrownBy(() -> DockerHostSpec.parse("a=tcp://h:1;ssh_config=/etc/hostname"))
                .hasMessageContaining("ssh_config= is only for ssh:// URLs");
        assertThatThrownBy(() -> DockerHostSpec.parse("a=tcp://h:1;files=nfs"))
                .hasMessageContaining("files=nfs: expected files=shared");
        assertThatThrownBy(() -> DockerHostSpec.parse("A B=tcp://x:1")).hasMessageContaining("lowercase");
    }

    @Test
    void theLocalHostFollowsDockerHost() {
        assertThat(DockerHostSpec.local(Map.of("gpu", 1), Map.of()).url().toString())
                .isEqualTo("unix:///var/run/docker.sock");
        assertThat(DockerHostSpec.local(Map.of(), Map.of("DOCKER_HOST", "tcp://h:2375")).url().toString())
                .isEqualTo("tcp://h:2375");
    }

    @Test
    void aLocalEngineSharesGantrysFilesAndARemoteOneGetsThemCopiedUnlessToldOtherwise() {
        org.assertj.core.api.Assertions.assertThat(DockerHostSpec.parse("a=unix:///run/docker.sock").sharedFiles())
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(DockerHostSpec.parse("a=tcp://10.0.0.5:2375").sharedFiles())
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(DockerHostSpec.parse("a=ssh://ci@gpu2").sharedFiles()).isFalse();
        org.assertj.core.api.Assertions.assertThat(DockerHostSpec.parse("a=ssh://ci@gpu2;files=shared").sharedFiles())
                .isTrue();
        org.assertj.core.api.Assertions.assertThat(DockerHostSpec.parse("a=unix:///s;files=copy").sharedFiles())
                .isFalse();
    }
}
