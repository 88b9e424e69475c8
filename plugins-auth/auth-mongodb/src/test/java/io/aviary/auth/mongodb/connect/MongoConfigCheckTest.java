package io.aviary.auth.mongodb.connect;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

public class MongoConfigCheckTest {
    private final MongoConfigCheck check = new MongoConfigCheck();

    @Test
    public void aFilterObjectOrItsTextPasses() {
        check.check(Map.of("server", "127.0.0.1:27017", "filter", Map.of("username", "${username}", "n", 1L)));
        check.check(Map.of("server", "127.0.0.1:27017", "filter", "{\"clientid\": \"${clientid}\"}"));
        check.check(Map.of("server", "127.0.0.1:27017"));
    }

    @Test
    public void aFilterThatIsNotJsonIsRefusedNamingFilter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> check.check(Map.of("server", "h:1", "filter", "username = ${username}")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("filter: not a JSON document"));
    }

    @Test
    public void theServersTheMongoTypeNeedsAreRequired() {
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class, () -> check.check(Map.of()));
        assertTrue(single.getMessage(), single.getMessage().startsWith("server: "));
        IllegalArgumentException rs = assertThrows(IllegalArgumentException.class,
                () -> check.check(Map.of("mongo_type", "rs", "replica_set_name", "rs0")));
        assertTrue(rs.getMessage(), rs.getMessage().startsWith("servers: "));
    }
}
