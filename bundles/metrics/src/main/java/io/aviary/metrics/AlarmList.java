package io.aviary.metrics;

import io.aviary.api.alarm.Alarm;
import io.aviary.api.alarm.Alarms;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's {@link Alarms} service: active alarms by name plus a bounded history of
 * deactivated ones (EMQX keeps those until DELETE /alarms). In the metrics bundle because it
 * is a core bundle every distribution runs and alarms sit beside the other health figures.
 */
@Component(service = Alarms.class)
public final class AlarmList implements Alarms {

    /** Deactivated alarms kept at most: a flapping condition must not grow memory without bound. */
    static final int MAX_HISTORY = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(AlarmList.class);

    private final Map<String, Alarm> active = new LinkedHashMap<>();
    private final Deque<Alarm> history = new ArrayDeque<>();
    private final LongSupplier clock;

    public AlarmList() {
        this(System::currentTimeMillis);
    }

    AlarmList(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean raise(String name, String message, Map<String, String> details) {
        Alarm old = active.get(name);
        long at = old == null ? clock.getAsLong() : old.activatedAt();
        active.put(name, new Alarm(name, message, details, at, 0));
        if (old == null) {
            LOG.warn("alarm raised: {}: {}", name, message);
        }
        return old == null;
    }

    @Override
    public synchronized boolean clear(String name) {
        Alarm old = active.remove(name);
        if (old == null) {
            return false;
        }
        history.addFirst(new Alarm(name, old.message(), old.details(), old.activatedAt(),
                Math.max(old.activatedAt() + 1, clock.getAsLong())));
        while (history.size() > MAX_HISTORY) {
            history.removeLast();
        }
        LOG.info("alarm cleared: {}", name);
        return true;
    }

    @Override
    public synchronized List<Alarm> list() {
        List<Alarm> out = new ArrayList<>(active.values());
        out.sort(Comparator.comparingLong(Alarm::activatedAt).reversed());
        out.addAll(history);
        return out;
    }

    @Override
    public synchronized int deleteDeactivated() {
        int n = history.size();
        history.clear();
        return n;
    }
}
