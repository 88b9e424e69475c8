package io.aviary.broker.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The typed view of Config Admin PID {@code aviary.mqtt} (EMQX key names and defaults).
 * DS maps a double underscore in a method name to one underscore in the key, so
 * {@code max__packet__size} reads the key {@code max_packet_size}. Durations are milliseconds,
 * sizes bytes, as the launcher converts them.
 */
@ObjectClassDefinition(pid = "aviary.mqtt", name = "Aviary MQTT")
public @interface MqttConfig {

    @AttributeDefinition long max__packet__size() default 1048576;
    @AttributeDefinition long max__clientid__len() default 65535;
    @AttributeDefinition int max__topic__levels() default 128;
    @AttributeDefinition int max__qos__allowed() default 2;
    @AttributeDefinition int max__topic__alias() default 65535;
    /** Use Topic Aliases on PUBLISH packets to MQTT 5 clients that accept them (Aviary's own key). */
    @AttributeDefinition boolean outbound__topic__alias() default true;
    @AttributeDefinition boolean retain__available() default true;
    @AttributeDefinition boolean wildcard__subscription() default true;
    @AttributeDefinition boolean shared__subscription() default true;
    @AttributeDefinition boolean exclusive__subscription() default false;
    @AttributeDefinition boolean ignore__loop__deliver() default false;
    @AttributeDefinition double keepalive__multiplier() default 1.5;
    @AttributeDefinition long server__keepalive() default 0;
    @AttributeDefinition int max__inflight() default 32;
    @AttributeDefinition long retry__interval() default 30000;
    @AttributeDefinition int max__awaiting__rel() default 100;
    @AttributeDefinition long await__rel__timeout() default 300000;
    @AttributeDefinition long session__expiry__interval() default 7200000;
    @AttributeDefinition int max__mqueue__len() default 1000;
    @AttributeDefinition boolean mqueue__store__qos0() default true;
    @AttributeDefinition int max__subscriptions() default 0;
    @AttributeDefinition boolean upgrade__qos() default false;
    @AttributeDefinition String shared__subscription__strategy() default "round_robin";
    @AttributeDefinition long idle__timeout() default 15000;
    @AttributeDefinition long slow__subscriber__timeout() default 5000;
    @AttributeDefinition boolean allow__anonymous() default true;
    @AttributeDefinition long auth__timeout() default 5000;
    @AttributeDefinition boolean delayed__enable() default true;
    @AttributeDefinition long max__delayed__messages() default 0;
    @AttributeDefinition boolean retainer__enable() default true;
    @AttributeDefinition long retainer__max__payload__size() default 1048576;
    /** Take the username from the TLS client certificate: disabled, cn or dn. */
    @AttributeDefinition String peer__cert__as__username() default "disabled";
    /** Take the client id from the TLS client certificate: disabled, cn or dn. */
    @AttributeDefinition String peer__cert__as__clientid() default "disabled";
    /** Flapping detection: max_count disconnects within window_time ban the client id for ban_time. */
    @AttributeDefinition boolean flapping__detect_enable() default false;
    @AttributeDefinition int flapping__detect_max__count() default 15;
    @AttributeDefinition long flapping__detect_window__time() default 60000;
    @AttributeDefinition long flapping__detect_ban__time() default 300000;
    /** JSON list of {action, source_topic, re, dest_topic}. */
    @AttributeDefinition String rewrite() default "[]";
    /** JSON list of {topic, qos, rh, rap, nl}. */
    @AttributeDefinition String auto__subscribe() default "[]";
}
