package dev.gantry.core.plan;

import dev.gantry.core.pipeline.RetryPolicy;
import java.util.List;

/**
 * Runs {@code child} again, from a fresh working copy, while it fails in a way the policy retries. Before each
 * retry, {@code betweenAttempts} runs on the failed attempt's working copy: the job's {@code test_results} hooks,
 * so the tests of an attempt that failed are kept too (how a test that passes on a retry is known to be flaky).
 */
public record RetryNode(RetryPolicy policy, PlanNode child, SequenceNode betweenAttempts) implements PlanNode {

    public RetryNode(RetryPolicy policy, PlanNode child) {
        this(policy, child, new SequenceNode(List.of()));
    }
}
