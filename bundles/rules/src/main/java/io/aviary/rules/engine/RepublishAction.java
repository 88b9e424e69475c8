package io.aviary.rules.engine;

import io.aviary.api.broker.Broker;
import io.aviary.api.message.Message;
import io.aviary.api.message.MessageProperties;
import io.aviary.api.message.UserProperty;
import io.aviary.rules.Json;
import io.aviary.rules.Template;
import io.aviary.rules.Values;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EMQX's "republish" action: a new message in the rule's tenant, every field a template over the
 * rule's output, with EMQX 5's argument names and defaults (topic required; qos "${qos}", retain
 * "${retain}", payload "${payload}" ("" means "${.}"), user_properties "${user_properties}",
 * mqtt_properties {}). An undefined qos is 0 and an undefined retain false, as in EMQX.
 */
final class RepublishAction implements Action {

    private static final Set<String> ARGS = Set.of("topic", "qos", "retain", "payload", "user_properties",
            "mqtt_properties", "direct_dispatch");
    static final Set<String> PROPERTIES = Set.of("Payload-Format-Indicator", "Message-Expiry-Interval",
            "Content-Type", "Response-Topic", "Correlation-Data");

    private final Template topic;
    private final Object qos; // Long or Template
    private final Object retain; // Boolean or Template
    private final Template payload;
    private final Template userProperties;
    private final Map<String, Template> mqttProperties;
    /** EMQX's "${pub_props.'User-Property'}": the original message's user properties even when the output lacks them. */
    private final boolean originalUserProperties;

    private RepublishAction(Template topic, Object qos, Object retain, Template payload, Template userProperties,
            Map<String, Template> mqttProperties) {
        this.topic = topic;
        this.qos = qos;
        this.retain = retain;
        this.payload = payload;
        this.userProperties = userProperties;
        this.mqttProperties = mqttProperties;
        String up = userProperties.source().trim();
        this.originalUserProperties = up.equals("${pub_props.'User-Property'}") || up.equals("${.pub_props.'User-Property'}");
    }

    static RepublishAction of(Map<String, Object> args, String field) {
        for (String k : args.keySet()) {
            if (!ARGS.contains(k)) {
                throw new IllegalArgumentException("field '" + field + "." + k + "' is not an argument of republish"
                        + " (topic, qos, retain, payload, user_properties, mqtt_properties)");
            }
        }
        Object t = args.get("topic");
        if (!(t instanceof String ts) || ts.isEmpty()) {
            throw new IllegalArgumentException("field '" + field + ".topic' is required: the topic to republish on"
                    + " (a template such as \"out/${clientid}\")");
        }
        Object q = args.getOrDefault("qos", "${qos}");
        if (q instanceof Number n) {
            if (n.doubleValue() != 0 && n.doubleValue() != 1 && n.doubleValue() != 2) {
                throw new IllegalArgumentException("field '" + field + ".qos' must be 0, 1, 2 or a template, was " + q);
            }
            q = n.longValue();
        } else if (q instanceof String qs) {
            q = Template.parse(qs);
        } else {
            throw new IllegalArgumentException("field '" + field + ".qos' must be 0, 1, 2 or a template, was " + q);
        }
        Object r = args.getOrDefault("retain", "${retain}");
        if (r instanceof String rs) {
            r = Template.parse(rs);
        } else if (!(r instanceof Boolean)) {
            throw new IllegalArgumentException("field '" + field + ".retain' must be true, false or a template, was " + r);
        }
        String p = string(args, "payload", "${payload}", field);
        String up = string(args, "user_properties", "${user_properties}", field);
        Map<String, Template> props = new LinkedHashMap<>();
        Object mp = args.getOrDefault("mqtt_properties", Map.of());
        if (!(mp instanceof Map<?, ?> pm)) {
            throw new IllegalArgumentException("field '" + field + ".mqtt_properties' must be an object of MQTT 5"
                    + " property names to templates");
        }
        for (Map.Entry<?, ?> e : pm.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!PROPERTIES.contains(name)) {
                throw new IllegalArgumentException("field '" + field + ".mqtt_properties." + name + "' is not a"
                        + " message property (Payload-Format-Indicator, Message-Expiry-Interval, Content-Type,"
                        + " Response-Topic, Correlation-Data)");
            }
            props.put(name, Template.parse(Values.toText(e.getValue())));
        }
        return new RepublishAction(Template.parse(ts), q, r, Template.parse(p.isEmpty() ? "${.}" : p), Template.parse(up),
                props);
    }

    private static String string(Map<String, Object> args, String name, String fallback, String field) {
        Object v = args.getOrDefault(name, fallback);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("field '" + field + "." + name + "' must be a string (a template)");
        }
        return s;
    }

    @Override
    public String function() {
        return "republish";
    }

    /** The message this output republishes, before it is published. */
    private record Rendered(String topic, int qos, boolean retain, byte[] payload, List<UserProperty> userProperties,
            Map<String, Object> properties) {}

    private Rendered rendered(Map<String, Object> output, Map<String, Object> columns) {
        String t = topic.render(output);
        int q = qos(output);
        boolean r = retain(output);
        byte[] body = payload.renderBytes(output);
        return new Rendered(t, q, r, body, userProperties(output, columns), properties(output));
    }

    private int qos(Map<String, Object> output) {
        Object v = qos instanceof Long l ? l : value((Template) qos, output);
        if (v == null) {
            return 0;
        }
        if (Values.isString(v)) {
            try {
                v = Long.parseLong(Values.text(v).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("qos must be 0, 1 or 2, was '" + Values.text(v) + "'");
            }
        }
        if (v instanceof Long l && l >= 0 && l <= 2) {
            return l.intValue();
        }
        throw new IllegalArgumentException("qos must be 0, 1 or 2, was " + Values.toText(v));
    }

    private boolean retain(Map<String, Object> output) {
        Object v = retain instanceof Boolean b ? b : value((Template) retain, output);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = Values.toText(v);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("retain must be true or false, was '" + s + "'");
    }

    /** A template that is one placeholder gives the value itself (a number stays a number), else the text. */
    private static Object value(Template t, Map<String, Object> output) {
        if (t.isConstant()) {
            return t.source();
        }
        String src = t.source().trim();
        if (t.placeholders().size() == 1 && src.startsWith("${") && src.endsWith("}")) {
            String name = t.placeholders().get(0);
            return Template.lookup(output, name.equals(".") ? new String[0] : Template.path(name));
        }
        return t.render(output);
    }

    private List<UserProperty> userProperties(Map<String, Object> output, Map<String, Object> columns) {
        Object v = value(userProperties, output);
        if (v == null && originalUserProperties) {
            v = Template.lookup(columns, new String[] {"pub_props", "User-Property"});
        }
        if (Values.isString(v)) {
            v = Json.decodeContainer(v);
        }
        List<UserProperty> out = new ArrayList<>();
        if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> out.add(new UserProperty(String.valueOf(k), Template.toText(x))));
        } else if (v instanceof List<?> l) {
            for (Object e : l) {
                if (e instanceof Map<?, ?> pair && pair.containsKey("key") && pair.containsKey("value")) {
                    out.add(new UserProperty(Template.toText(pair.get("key")), Template.toText(pair.get("value"))));
                }
            }
        }
        return out;
    }

    private Map<String, Object> properties(Map<String, Object> output) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Template> e : mqttProperties.entrySet()) {
            Object v = value(e.getValue(), output);
            if (v == null) {
                continue; // undefined: the property is left out
            }
            String name = e.getKey();
            String text = Values.toText(v).trim();
            switch (name) {
                case "Payload-Format-Indicator", "Message-Expiry-Interval" -> {
                    try {
                        long n = Long.parseLong(text);
                        if (n < 0 || n > (name.startsWith("Payload") ? 1 : 0xFFFF_FFFFL)) {
                            throw new NumberFormatException();
                        }
                        out.put(name, n);
                    } catch (NumberFormatException bad) {
                        throw new IllegalArgumentException("mqtt_properties." + name + " must be "
                                + (name.startsWith("Payload") ? "0 or 1" : "a number of seconds") + ", was '" + text + "'");
                    }
                }
                default -> out.put(name, Values.toText(v));
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> render(Map<String, Object> output, Map<String, Object> columns) {
        Rendered r = rendered(output, columns);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("topic", r.topic());
        out.put("qos", (long) r.qos());
        out.put("retain", r.retain());
        out.put("payload", new String(r.payload(), StandardCharsets.UTF_8));
        Map<String, Object> up = new LinkedHashMap<>();
        r.userProperties().forEach(p -> up.put(p.key(), p.value()));
        out.put("user_properties", up);
        out.put("mqtt_properties", r.properties());
        return out;
    }

    @Override
    public void run(String tenant, String ruleId, Map<String, Object> output, Map<String, Object> columns, Broker broker) {
        Rendered r = rendered(output, columns);
        if (broker == null) {
            throw new IllegalStateException("the broker is not running");
        }
        Map<String, Object> p = r.properties();
        Long pfi = (Long) p.get("Payload-Format-Indicator");
        String corr = (String) p.get("Correlation-Data");
        MessageProperties props = new MessageProperties(pfi == null ? null : pfi.intValue(),
                (Long) p.get("Message-Expiry-Interval"), (String) p.get("Content-Type"), (String) p.get("Response-Topic"),
                corr == null ? null : ByteBuffer.wrap(corr.getBytes(StandardCharsets.UTF_8)), r.userProperties());
        broker.publish(new Message(null, tenant, r.topic(), ByteBuffer.wrap(r.payload()), r.qos(), r.retain(), props,
                null, System.currentTimeMillis()));
    }
}
