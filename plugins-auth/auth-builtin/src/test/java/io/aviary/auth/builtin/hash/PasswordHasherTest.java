package io.aviary.auth.builtin.hash;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/** Every algorithm of EMQX's built-in database hashes and checks, and known EMQX-shaped hashes check unchanged. */
public class PasswordHasherTest {

    private static HashSpec spec(String json) {
        return HashSpec.fromJson(JsonParser.parseString(json).getAsJsonObject());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void everyAlgorithmAcceptsTheRightPasswordAndRefusesAWrongOne() {
        String[] specs = {"{\"name\":\"plain\"}", "{\"name\":\"md5\",\"salt_position\":\"prefix\"}",
            "{\"name\":\"sha\",\"salt_position\":\"suffix\"}", "{\"name\":\"sha256\",\"salt_position\":\"disable\"}",
            "{\"name\":\"sha512\",\"salt_position\":\"suffix\"}", "{\"name\":\"bcrypt\",\"salt_rounds\":4}",
            "{\"name\":\"pbkdf2\",\"mac_fun\":\"sha256\",\"iterations\":10}",
            "{\"name\":\"pbkdf2\",\"mac_fun\":\"sha512\",\"iterations\":10,\"dk_length\":20}"};
        for (String json : specs) {
            HashSpec s = spec(json);
            PasswordHasher.Hashed h = PasswordHasher.hash(s, bytes("pässword"));
            assertTrue(json, PasswordHasher.check(s, h.hash(), h.salt(), bytes("pässword")));
            assertFalse(json, PasswordHasher.check(s, h.hash(), h.salt(), bytes("passwörd")));
            assertFalse(json, PasswordHasher.check(s, h.hash(), h.salt(), null));
        }
    }

    @Test
    public void saltedDigestsAreHexOfSaltAndPasswordInTheConfiguredOrder() {
        // sha256("salt" + "public") and sha256("public" + "salt"), as EMQX computes them
        assertTrue(PasswordHasher.check(spec("{\"name\":\"sha256\",\"salt_position\":\"prefix\"}"),
                sha256Hex("saltpublic"), "salt", bytes("public")));
        assertTrue(PasswordHasher.check(spec("{\"name\":\"sha256\",\"salt_position\":\"suffix\"}"),
                sha256Hex("publicsalt"), "salt", bytes("public")));
        assertFalse(PasswordHasher.check(spec("{\"name\":\"sha256\",\"salt_position\":\"suffix\"}"),
                sha256Hex("saltpublic"), "salt", bytes("public")));
    }

    @Test
    public void bcryptHashesWithAnyVersionPrefixCheck() {
        // other tools write $2a$ or $2y$ for the same algorithm: such hashes import unchanged
        HashSpec bcrypt = spec("{\"name\":\"bcrypt\"}");
        String made = PasswordHasher.hash(spec("{\"name\":\"bcrypt\",\"salt_rounds\":4}"), bytes("public")).hash();
        assertTrue(made.startsWith("$2b$04$"));
        assertTrue(PasswordHasher.check(bcrypt, made.replace("$2b$", "$2y$"), "", bytes("public")));
        assertFalse(PasswordHasher.check(bcrypt, "not a bcrypt string", "", bytes("public")));
    }

    @Test
    public void pbkdf2MatchesTheRfc7914TestVector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64
        String expected = "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
                + "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783";
        assertTrue(PasswordHasher.check(spec("{\"name\":\"pbkdf2\",\"mac_fun\":\"sha256\",\"iterations\":1,\"dk_length\":64}"),
                expected, "salt", bytes("passwd")));
    }

    @Test(expected = IllegalArgumentException.class)
    public void anUnknownAlgorithmIsRefused() {
        spec("{\"name\":\"rot13\"}");
    }

    @Test
    public void theStoredAlgorithmRoundTripsThroughJson() {
        HashSpec s = spec("{\"name\":\"pbkdf2\",\"mac_fun\":\"sha512\",\"iterations\":7}");
        assertEquals(s, HashSpec.fromJson(s.toJson()));
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes(text)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
