package dev.gantry.engine.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    @Test
    void handsOutBatchesLongestFirstThenWaitsForLeasesThenIsDone() {
        WorkQueue q = new WorkQueue(List.of("slow", "medium", "fast"));
        WorkQueue.Answer.Batch a = (WorkQueue.Answer.Batch) q.lease("t0", 2);
        assertThat(a.items()).containsExactly("slow", "medium");
        WorkQueue.Answer.Batch b = (WorkQueue.Answer.Batch) q.lease("t1", 2);
        assertThat(b.items()).containsExactly("fast");
        assertThat(q.lease("t1", 2)).isInstanceOf(WorkQueue.Answer.Wait.class);
        assertThat(q.ack(b.lease())).isTrue();
        assertThat(q.lease("t1", 2)).isInstanceOf(WorkQueue.Answer.Wait.class);
        assertThat(q.ack(a.lease())).isTrue();
        assertThat(q.lease("t1", 2)).isInstanceOf(WorkQueue.Answer.Done.class);
    }

    @Test
    void aDeadShardsLeaseReturnsToTheFrontOfTheQueue() {
        WorkQueue q = new WorkQueue(List.of("a", "b", "c", "d"));
        WorkQueue.Answer.Batch dying = (WorkQueue.Answer.Batch) q.lease("t0", 2);
        assertThat(q.release("t0")).isEqualTo(2);
        assertThat(q.ack(dying.lease())).as("a returned lease can no longer be acknowledged").isFalse();
        assertThat(((WorkQueue.Answer.Batch) q.lease("t1", 3)).items()).containsExactly("a", "b", "c");
    }
}
