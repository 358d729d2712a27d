package dev.gantry.server.disk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MinFreeTest {

    @Test
    void aShareOrASize() {
        assertThat(MinFree.parse("5%").orElseThrow().of(1000)).isEqualTo(50);
        assertThat(MinFree.parse("0.5%").orElseThrow().of(1000)).isEqualTo(5);
        assertThat(MinFree.parse("10g").orElseThrow().of(1L << 40)).isEqualTo(10L << 30);
        assertThat(MinFree.parse("512m").orElseThrow().toString()).isEqualTo("512 MiB");
        assertThat(MinFree.parse("5%").orElseThrow().toString()).isEqualTo("5%");
        assertThat(MinFree.parse("120%")).isEmpty();
        assertThat(MinFree.parse("lots")).isEmpty();
    }
}
