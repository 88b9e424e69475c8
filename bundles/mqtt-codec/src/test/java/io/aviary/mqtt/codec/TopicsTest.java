package io.aviary.mqtt.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.Test;

/** Topic Name and Topic Filter rules of spec 4.7 and 4.8.2, and the UTF-8 helpers. */
public class TopicsTest {

    @Test
    public void mqtt_4_7_3_1_topicNamesAreNonEmptyWithoutWildcards() {
        for (String ok : new String[] {"a", "/", "a//b", "/a/", "$SYS/x", " ", "ü/€"}) {
            assertTrue(ok, Topics.isValidTopicName(ok));
        }
        for (String bad : new String[] {"", "a/+", "#", "a/b#", "a\u0000b", "\uD800"}) {
            assertFalse(bad, Topics.isValidTopicName(bad));
        }
    }

    @Test
    public void mqtt_4_7_1_1_multiLevelWildcardOnlyAloneAndLast() {
        assertTrue(Topics.isValidTopicFilter("#"));
        assertTrue(Topics.isValidTopicFilter("a/#"));
        assertTrue(Topics.isValidTopicFilter("/#"));
        assertFalse(Topics.isValidTopicFilter("a/#/b"));
        assertFalse(Topics.isValidTopicFilter("a#"));
        assertFalse(Topics.isValidTopicFilter("a/b#"));
    }

    @Test
    public void mqtt_4_7_1_2_singleLevelWildcardOccupiesAWholeLevel() {
        assertTrue(Topics.isValidTopicFilter("+"));
        assertTrue(Topics.isValidTopicFilter("+/+"));
        assertTrue(Topics.isValidTopicFilter("/+"));
        assertTrue(Topics.isValidTopicFilter("a/+/#"));
        assertFalse(Topics.isValidTopicFilter("a+"));
        assertFalse(Topics.isValidTopicFilter("a/+b/c"));
    }

    @Test
    public void emptyLevelsAreAllowedButAnEmptyFilterIsNot() {
        assertTrue(Topics.isValidTopicFilter("a//b"));
        assertTrue(Topics.isValidTopicFilter("//"));
        assertFalse(Topics.isValidTopicFilter(""));
    }

    @Test
    public void mqtt_4_8_2_1_sharedFilterNeedsAShareNameWithoutWildcardsAndAFilter() {
        assertTrue(Topics.isValidTopicFilter("$share/g/a/+"));
        assertTrue(Topics.isValidTopicFilter("$share/g/#"));
        assertEquals("g", Topics.shareName("$share/g/a/+"));
        assertEquals("a/+", Topics.sharedTopicFilter("$share/g/a/+"));
        assertFalse(Topics.isValidTopicFilter("$share/g"));
        assertFalse(Topics.isValidTopicFilter("$share//a"));
        assertFalse(Topics.isValidTopicFilter("$share/g/"));
        assertFalse(Topics.isValidTopicFilter("$share/+/a"));
        assertFalse(Topics.isValidTopicFilter("$share/g#/a"));
    }

    @Test
    public void utf8HelpersRejectIllFormedInputAndNulOnlyForStrings() {
        ByteBuf good = Unpooled.wrappedBuffer(new byte[] {0x41, (byte) 0xF0, (byte) 0xAA, (byte) 0x9B, (byte) 0x94});
        assertTrue(Topics.isValidUtf8(good, 0, 5));
        assertFalse("truncated", Topics.isValidUtf8(good, 0, 4));
        ByteBuf nul = Unpooled.wrappedBuffer(new byte[] {0x61, 0x00});
        assertFalse(Topics.isValidUtf8(nul, 0, 2));
        assertTrue("a payload may contain U+0000", Topics.isWellFormedUtf8(nul, 0, 2));
        ByteBuf surrogate = Unpooled.wrappedBuffer(new byte[] {(byte) 0xED, (byte) 0xBF, (byte) 0xBF});
        assertFalse(Topics.isWellFormedUtf8(surrogate, 0, 3));
    }

    @Test
    public void javaStringsWithLoneSurrogatesOrOver65535BytesAreNotMqttStrings() {
        assertTrue(Topics.isValidMqttString("\uD834\uDD1E"));
        assertFalse(Topics.isValidMqttString("\uDD1E"));
        assertFalse(Topics.isValidMqttString("x".repeat(65_536)));
        assertTrue(Topics.isValidMqttString("x".repeat(65_535)));
    }
}
