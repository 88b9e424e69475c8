package io.aviary.runtime;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ConfigLoaderTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path write(String text) throws IOException {
        Path file = tmp.newFile("aviary.conf").toPath();
        Files.writeString(file, text);
        return file;
    }

    @Test
    public void defaultsAloneAreValid() throws Exception {
        Config config = ConfigLoader.load(null, Map.of(), List.of());
        assertEquals("0.0.0.0:1883", config.getString("listeners.tcp.default.bind"));
        assertEquals(32, config.getInt("mqtt.max_inflight"));
    }

    @Test
    public void environmentVariableOverridesFileAndFlagOverridesEnvironment() throws Exception {
        Path file = write("mqtt.max_inflight = 10\nlisteners.tcp.default.bind = \"127.0.0.1:1000\"\n");
        Map<String, String> env = Map.of("AVIARY_LISTENERS__TCP__DEFAULT__BIND", "127.0.0.1:2000",
                "AVIARY_MQTT__MAX_INFLIGHT", "20", "AVIARY_HOME", "/ignored");
        Config fromEnv = ConfigLoader.load(file, env, List.of());
        assertEquals("127.0.0.1:2000", fromEnv.getString("listeners.tcp.default.bind"));
        assertEquals(20, fromEnv.getInt("mqtt.max_inflight"));

        Config fromFlag = ConfigLoader.load(file, env, List.of("mqtt.max_inflight=30"));
        assertEquals(30, fromFlag.getInt("mqtt.max_inflight"));
    }

    @Test
    public void wrongTypeNamesFileLineKeyAndExpectation() throws Exception {
        Path file = write("# comment\nmqtt {\n  max_inflight = lots\n}\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, Map.of(), List.of()));
        assertTrue(e.getMessage(), e.getMessage().contains(file + ":3: mqtt.max_inflight: expected a number"));
    }

    @Test
    public void wrongTypeFromEnvironmentNamesTheVariable() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(null, Map.of("AVIARY_MQTT__RETAIN_AVAILABLE", "perhaps"), List.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("environment variable AVIARY_MQTT__RETAIN_AVAILABLE"));
        assertTrue(e.getMessage(), e.getMessage().contains("expected true or false"));
    }

    @Test
    public void unknownKeyIsRefused() throws Exception {
        Path file = write("mqtt.max_inflihgt = 5\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, Map.of(), List.of()));
        assertTrue(e.getMessage(), e.getMessage().contains(":1: mqtt.max_inflihgt: unknown key"));
    }

    @Test
    public void badDurationSaysWhatADurationLooksLike() throws Exception {
        Path file = write("mqtt.retry_interval = soon\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, Map.of(), List.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("expected a duration"));
    }

    @Test
    public void syntaxErrorNamesTheLine() throws Exception {
        Path file = write("mqtt {\n  max_inflight = 3\n  = broken\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(file, Map.of(), List.of()));
        assertTrue(e.getMessage(), e.getMessage().contains(file.getFileName() + ": 3"));
    }

    @Test
    public void extraListenerIsCheckedAgainstTheDefaultListener() throws Exception {
        Path good = write("listeners.tcp.second { bind = \"127.0.0.1:1999\", max_connections = 10 }\n");
        assertEquals("127.0.0.1:1999", ConfigLoader.load(good, Map.of(), List.of()).getString("listeners.tcp.second.bind"));

        Files.writeString(good, "listeners.tcp.second { max_connections = many }\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(good, Map.of(), List.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("listeners.tcp.second.max_connections: expected a number"));
    }

    @Test
    public void flagWithoutEqualsIsRefused() {
        assertThrows(ConfigError.class, () -> ConfigLoader.load(null, Map.of(), List.of("mqtt.max_inflight")));
    }

    @Test
    public void sectionsBecomeTypedConfigAdminProperties() throws Exception {
        Path file = write("mqtt.retry_interval = 2s\nmqtt.rewrite = [{action = all, source_topic = \"a/#\", re = \"^a/(.+)$\", dest_topic = \"b/$1\"}]\n");
        Config config = ConfigLoader.load(file, Map.of(), List.of());
        Map<String, Hashtable<String, Object>> pids = ConfigSections.toConfigurations(config, ConfigLoader.defaults());
        Hashtable<String, Object> mqtt = pids.get("aviary.mqtt");
        assertEquals(2000L, mqtt.get("retry_interval"));
        assertEquals(1048576L, mqtt.get("max_packet_size"));
        assertEquals(32L, mqtt.get("max_inflight"));
        assertEquals(Boolean.TRUE, mqtt.get("retain_available"));
        assertEquals(1.5, mqtt.get("keepalive_multiplier"));
        assertTrue(((String) mqtt.get("rewrite")).contains("\"dest_topic\":\"b/$1\""));
        assertArrayEquals(new String[0], (String[]) mqtt.get("auto_subscribe"));
        assertEquals("0.0.0.0:1883", pids.get("aviary.listeners").get("tcp.default.bind"));
        assertEquals("0.0.0.0:18083", pids.get("aviary.dashboard").get("listeners.http.bind"));
    }
}
