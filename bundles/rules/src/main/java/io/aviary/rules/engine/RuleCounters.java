package io.aviary.rules.engine;

import io.aviary.api.metrics.MetricsSource;
import io.aviary.api.rules.RuleMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A rule's metrics in memory: LongAdders bumped by the worker threads without contention, the
 * last failure's reason kept as a volatile pair. Snapshots are what GET /rules/{id}/metrics shows.
 */
final class RuleCounters {

    /** One action's counters. */
    static final class ActionCounters {
        final String function;
        final LongAdder success = new LongAdder();
        final LongAdder failed = new LongAdder();
        volatile String lastError;

        ActionCounters(String function) {
            this.function = function;
        }
    }

    final LongAdder matched = new LongAdder();
    final LongAdder passed = new LongAdder();
    final LongAdder failedException = new LongAdder();
    final LongAdder failedNoResult = new LongAdder();
    final LongAdder failedOverloaded = new LongAdder();
    final LongAdder failedLoop = new LongAdder();
    final LongAdder actionsSuccess = new LongAdder();
    final LongAdder actionsFailed = new LongAdder();
    final List<ActionCounters> actions;
    private volatile Failure last;

    private record Failure(String reason, long at) {}

    RuleCounters(List<String> actionFunctions) {
        actions = new ArrayList<>();
        actionFunctions.forEach(f -> actions.add(new ActionCounters(f)));
    }

    void failed(String reason) {
        last = new Failure(reason, System.currentTimeMillis());
    }

    void actionFailed(int index, String reason) {
        ActionCounters a = actions.get(index);
        a.lastError = reason; // the reasons first: whoever sees the counts sees why
        failed(a.function + ": " + reason);
        a.failed.increment();
        actionsFailed.increment();
    }

    void actionSucceeded(int index) {
        actions.get(index).success.increment();
        actionsSuccess.increment();
    }

    void reset() {
        for (LongAdder a : List.of(matched, passed, failedException, failedNoResult, failedOverloaded, failedLoop,
                actionsSuccess, actionsFailed)) {
            a.reset();
        }
        for (ActionCounters a : actions) {
            a.success.reset();
            a.failed.reset();
            a.lastError = null;
        }
        last = null;
    }

    RuleMetrics snapshot() {
        long exc = failedException.sum();
        long none = failedNoResult.sum();
        long over = failedOverloaded.sum();
        long loop = failedLoop.sum();
        long ok = actionsSuccess.sum();
        long bad = actionsFailed.sum();
        List<RuleMetrics.ActionMetrics> per = new ArrayList<>();
        for (ActionCounters a : actions) {
            per.add(new RuleMetrics.ActionMetrics(a.function, a.success.sum(), a.failed.sum(), a.lastError));
        }
        Failure f = last;
        return new RuleMetrics(matched.sum(), passed.sum(), exc + none + over + loop, exc, none, over, loop, ok + bad,
                ok, bad, per, f == null ? null : f.reason(), f == null ? 0 : f.at());
    }

    /** The counters as Prometheus series with tenant and rule labels (and reason or result). */
    void prometheus(String tenant, String rule, List<MetricsSource.Counter> out) {
        RuleMetrics m = snapshot();
        Map<String, String> tags = Map.of("tenant", tenant, "rule", rule);
        out.add(new MetricsSource.Counter("aviary.rule.matched", "Messages and events a rule's FROM took", tags, m.matched()));
        out.add(new MetricsSource.Counter("aviary.rule.passed", "Messages and events a rule gave output for", tags,
                m.passed()));
        String failed = "Messages and events a rule failed on, by reason";
        out.add(new MetricsSource.Counter("aviary.rule.failed", failed, with(tags, "reason", "exception"), m.failedException()));
        out.add(new MetricsSource.Counter("aviary.rule.failed", failed, with(tags, "reason", "no_result"), m.failedNoResult()));
        out.add(new MetricsSource.Counter("aviary.rule.failed", failed, with(tags, "reason", "overloaded"),
                m.failedOverloaded()));
        out.add(new MetricsSource.Counter("aviary.rule.failed", failed, with(tags, "reason", "loop"), m.failedLoop()));
        String actions = "Action runs of a rule, by result";
        out.add(new MetricsSource.Counter("aviary.rule.actions", actions, with(tags, "result", "success"), m.actionsSuccess()));
        out.add(new MetricsSource.Counter("aviary.rule.actions", actions, with(tags, "result", "failed"), m.actionsFailed()));
    }

    private static Map<String, String> with(Map<String, String> tags, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(tags);
        out.put(key, value);
        return out;
    }
}
