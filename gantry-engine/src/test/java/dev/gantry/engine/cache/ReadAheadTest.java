package dev.gantry.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What is read ahead arrives whole and in order; a failure of the source reaches the reader where it happened. */
class ReadAheadTest {

    @Test
    void deliversEveryByteInOrder() throws IOException {
        byte[] data = new byte[1_000_003];
        new Random(7).nextBytes(data);
        try (InputStream in = new ReadAhead(new ByteArrayInputStream(data), 4096, 3)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFailingSourceFailsTheReaderAfterWhatItDelivered() throws IOException {
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ < 10_000) {
                    return 1;
                }
                throw new IOException("the archive is truncated");
            }
        };
        try (InputStream in = new ReadAhead(failing, 1024, 2)) {
            assertThat(in.readNBytes(9 * 1024)).hasSize(9 * 1024);
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                    .hasMessage("the archive is truncated");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // the previous code lost the error and the reader waited forever
    void anErrorWhileTheQueueIsFullStillReachesTheReader() throws Exception {
        java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ < 2 * 1024) {
                    return 1;
                }
                failed.countDown();
                throw new IOException("the archive is truncated");
            }
        };
        try (InputStream in = new ReadAhead(failing, 1024, 2)) {
            // the two blocks fill the queue before the reader takes any, then the source fails
            assertThat(failed.await(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
            Thread.sleep(50);
            assertThat(in.readNBytes(2 * 1024)).hasSize(2 * 1024);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("the archive is truncated");
        }
    }
}
