package io.aviary.broker.routing;

import io.aviary.api.events.DropReason;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.message.BrokerMessage;
import io.aviary.broker.session.Delivery;
import io.aviary.broker.session.Session;
import io.aviary.broker.topic.MatchSink;
import io.aviary.broker.topic.SharedGroup;
import io.aviary.broker.topic.Subscription;
import io.aviary.broker.topic.TopicIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes on this node: matches the topic in the tenant's index, picks one member per shared
 * group, merges overlapping subscriptions of one session into one delivery (highest QoS, all
 * subscription identifiers), applies No Local, and hands each delivery to its session, which
 * forwards it to its own connection's event loop.
 */
public final class LocalRouter implements Router {

    private final TopicIndex index;
    private final BrokerSettings settings;
    private final DeliverySink sink;
    private final ThreadLocal<Collector> collectors = ThreadLocal.withInitial(Collector::new);

    /** Where deliveries go (the broker core: to the session, with drop accounting). */
    public interface DeliverySink {
        void deliver(Session session, Delivery delivery);

        void dropped(Session session, BrokerMessage message, DropReason reason);
    }

    public LocalRouter(TopicIndex index, BrokerSettings settings, DeliverySink sink) {
        this.index = index;
        this.settings = settings;
        this.sink = sink;
    }

    @Override
    public int route(BrokerMessage message) {
        Collector c = collectors.get();
        if (c.busy) {
            c = new Collector();
        }
        c.begin(message);
        try {
            index.match(message.tenant(), message.topic(), c);
            return c.finish();
        } finally {
            c.end();
        }
    }

    /** Collects one publish's matches; reused per thread so routing allocates little. */
    private final class Collector implements MatchSink {
        private final List<Subscription> matches = new ArrayList<>();
        private BrokerMessage message;
        private boolean busy;

        void begin(BrokerMessage m) {
            busy = true;
            message = m;
        }

        void end() {
            matches.clear();
            message = null;
            busy = false;
        }

        @Override
        public void direct(Subscription s) {
            matches.add(s);
        }

        @Override
        public void shared(SharedGroup group) {
            Subscription s = group.pick(settings.sharedStrategy, message.publisherId(), message.topic());
            if (s != null) {
                matches.add(s);
            }
        }

        int finish() {
            int n = matches.size();
            if (n == 0) {
                return 0;
            }
            Map<Session, Merged> merged = null;
            int delivered = 0;
            for (int i = 0; i < n; i++) {
                Subscription s = matches.get(i);
                Session session = (Session) s.subscriber();
                if (isLoop(s, session)) {
                    sink.dropped(session, message, DropReason.NO_LOCAL);
                    continue;
                }
                if (s.shared() || session.subscriptionCount() <= 1) {
                    deliver(session, qosFor(s), retainFor(s), ids(s), s.shared() ? s : null);
                    delivered++;
                } else {
                    if (merged == null) {
                        merged = new HashMap<>();
                    }
                    merged.computeIfAbsent(session, k -> new Merged()).add(s);
                }
            }
            if (merged != null) {
                for (Map.Entry<Session, Merged> e : merged.entrySet()) {
                    Merged m = e.getValue();
                    deliver(e.getKey(), m.qos, m.retain, m.ids(), null);
                    delivered++;
                }
            }
            return delivered;
        }

        private boolean isLoop(Subscription s, Session session) {
            String publisher = message.publisherId();
            if (publisher == null || s.shared() || !publisher.equals(session.key().clientId())) {
                return false;
            }
            return s.options().noLocal() || settings.ignoreLoopDeliver;
        }

        private int qosFor(Subscription s) {
            return settings.upgradeQos ? s.options().qos() : Math.min(message.qos(), s.options().qos());
        }

        private boolean retainFor(Subscription s) {
            return s.options().retainAsPublished() && message.isRetain();
        }

        private int[] ids(Subscription s) {
            int id = s.options().subscriptionId();
            return id == 0 ? null : new int[] {id};
        }

        private void deliver(Session session, int qos, boolean retain, int[] ids, Subscription shared) {
            sink.deliver(session, new Delivery(message.retain(), qos, retain, ids, shared));
        }

        /** Overlapping subscriptions of one session folded into one delivery. */
        private final class Merged {
            int qos = -1;
            boolean retain;
            List<Integer> ids;

            void add(Subscription s) {
                qos = Math.max(qos, qosFor(s));
                retain |= retainFor(s);
                int id = s.options().subscriptionId();
                if (id != 0) {
                    if (ids == null) {
                        ids = new ArrayList<>(2);
                    }
                    ids.add(id);
                }
            }

            int[] ids() {
                return ids == null ? null : ids.stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }
}
