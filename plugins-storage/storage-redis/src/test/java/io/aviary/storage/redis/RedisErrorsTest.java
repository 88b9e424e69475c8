package io.aviary.storage.redis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.ConnectException;
import org.junit.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** How Jedis's exceptions read and whether they are retried, including the chains Jedis builds. */
public class RedisErrorsTest {

    @Test
    public void aSuppressedExceptionThatLeadsBackIsReadOnceAndStillGivesTheSocketsWords() {
        // a pipeline's failed sync, then its close failing on the same broken connection
        JedisConnectionException first = new JedisConnectionException("Unexpected end of stream.");
        JedisConnectionException second = new JedisConnectionException(first);
        first.addSuppressed(second);

        assertEquals("Unexpected end of stream.", RedisErrors.describe(first));
        assertTrue(RedisErrors.classify(first).retryable());
    }

    @Test
    public void connectionRefusedIsReadFromTheSuppressedAddressError() {
        JedisConnectionException e = new JedisConnectionException("Failed to connect to any host resolved for DNS name.");
        e.addSuppressed(new ConnectException("Connection refused"));
        assertEquals("Connection refused", RedisErrors.describe(e));
    }

    @Test
    public void errorRepliesAreFatalExceptWhileTheServerIsBusyOrMoving() {
        assertFalse(RedisErrors.classify(new JedisDataException("ERR unknown command 'X'")).retryable());
        assertTrue(RedisErrors.classify(new JedisDataException("LOADING Redis is loading the dataset in memory")).retryable());
        assertTrue(RedisErrors.classify(new JedisDataException("OOM command not allowed when used memory > 'maxmemory'.")).retryable());
    }
}
