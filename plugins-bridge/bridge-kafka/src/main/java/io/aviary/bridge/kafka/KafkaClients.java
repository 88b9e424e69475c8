package io.aviary.bridge.kafka;

import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates kafka-clients objects inside OSGi. The client loads classes by name while it starts
 * (SASL login modules through JAAS, config providers, metrics reporters), and JAAS looks at the
 * thread context class loader; so the bundle's own loader, which sees the embedded client and its
 * codecs, is made the context loader for the time of the constructor. Serializers are given as
 * instances, never as class names.
 */
final class KafkaClients {
    private KafkaClients() {
    }

    static KafkaProducer<byte[], byte[]> producer(Properties props) {
        return withBundleLoader(() -> new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    static KafkaConsumer<byte[], byte[]> consumer(Properties props) {
        return withBundleLoader(() -> new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    static Admin admin(Properties props) {
        return withBundleLoader(() -> Admin.create(props));
    }

    static <T> T withBundleLoader(Supplier<T> create) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaClients.class.getClassLoader());
        try {
            return create.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
