package io.aviary.broker.testing;

import io.aviary.broker.BrokerCore;
import io.aviary.broker.MqttBroker;
import io.aviary.broker.config.BrokerSettings;
import io.aviary.broker.config.ListenerSpec;
import io.aviary.broker.events.EventDispatcher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.rules.ExternalResource;

/** A JUnit rule running the broker in-process on 127.0.0.1 and a free port, with per-test settings. */
public final class TestBroker extends ExternalResource {

    private final Map<String, Object> config = new HashMap<>();
    private final EventDispatcher events = new EventDispatcher();
    private final List<ListenerSpec> extra = new java.util.ArrayList<>();
    private MqttBroker broker;

    /** Adds a listener beside the plain TCP one (bind it to 127.0.0.1:0). */
    public TestBroker listener(ListenerSpec spec) {
        extra.add(spec);
        return this;
    }

    public TestBroker with(String key, Object value) {
        config.put(key, value);
        return this;
    }

    @Override
    protected void before() throws Throwable {
        start();
    }

    public void start() throws InterruptedException {
        List<ListenerSpec> specs = new java.util.ArrayList<>();
        specs.add(new ListenerSpec("tcp", "test", "127.0.0.1", 0, true, 0));
        specs.addAll(extra);
        broker = new MqttBroker(BrokerSettings.of(config), events, 2).start(specs);
    }

    /** Restarts with changed settings (tests that need a setting other than the class default). */
    public void restart(String key, Object value) throws InterruptedException {
        broker.close();
        config.put(key, value);
        start();
    }

    @Override
    protected void after() {
        broker.close();
    }

    public int port() {
        return broker.port();
    }

    /** The bound port of a listener added with {@link #listener}, by id ("ssl:test"). */
    public int port(String listenerId) {
        return broker.address(listenerId).getPort();
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    public BrokerCore core() {
        return broker.core();
    }

    public MqttBroker broker() {
        return broker;
    }

    public EventDispatcher events() {
        return events;
    }
}
