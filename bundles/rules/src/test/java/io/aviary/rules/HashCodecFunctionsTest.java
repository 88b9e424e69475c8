package io.aviary.rules;

import static io.aviary.rules.Rules.eval;
import static io.aviary.rules.Rules.failure;
import static io.aviary.rules.Rules.text;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Hashes, compression, codecs and UUIDs against EMQX's documented examples. */
public class HashCodecFunctionsTest {

    @Test
    public void hashes() {
        assertEquals("5d41402abc4b2a76b9719d911017c592", eval("md5('hello')"));
        assertEquals("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", eval("sha('hello')"));
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", eval("sha256('hello')"));
        assertEquals("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", eval("hash('sha1', 'hello')"));
        assertEquals(128, ((String) eval("hash('sha512', 'hello')")).length());
        assertTrue(failure("hash('nope', 'x')").startsWith("unknown_hash_algorithm"));
        assertTrue(failure("md5(1)").contains("must be a string"));
    }

    @Test
    public void gzip() {
        assertEquals("hello", text("gunzip(hexstr2bin('1F8B0800000000000013CB48CDC9C9070086A6103605000000'))"));
        assertEquals("hello", text("gunzip(gzip('hello'))"));
        assertTrue(failure("gunzip('not gzip')").contains("not gzip data"));
    }

    @Test
    public void zipIsRawDeflate() {
        assertEquals("CB48CDC9C90700", eval("bin2hexstr(zip('hello'))"));
        assertEquals("hello", text("unzip(hexstr2bin('CB48CDC9C90700'))"));
    }

    @Test
    public void zipCompressIsZlib() {
        assertEquals("789CCB48CDC9C90700062C0215", eval("bin2hexstr(zip_compress('hello'))"));
        assertEquals("hello", text("zip_uncompress(hexstr2bin('789CCB48CDC9C90700062C0215'))"));
    }

    @Test
    public void aDecompressionBombFailsInsteadOfExhaustingMemory() {
        // 32 MB of zeros compress to about 32 KB; inflating them must stop at the limit
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(new byte[32 * 1024 * 1024]);
        d.finish();
        byte[] buf = new byte[1 << 20];
        int n = d.deflate(buf);
        d.end();
        String hex = java.util.HexFormat.of().formatHex(buf, 0, n);
        String msg = failure("zip_uncompress(hexstr2bin('" + hex + "'))");
        assertTrue(msg, msg.contains("inflates to more than"));
    }

    @Test
    public void base64() {
        assertEquals("hello", text("base64_decode('aGVsbG8=')"));
        assertEquals("CB48CD", eval("bin2hexstr(base64_decode('y0jN'))"));
        assertEquals("aGVsbG8=", eval("base64_encode('hello')"));
        assertEquals("y0jN", eval("base64_encode(hexstr2bin('CB48CD'))"));
        assertEquals("aGVsbG8", eval("base64_encode('hello', 'no_padding')"));
        assertEquals("-_8", eval("base64_encode(hexstr2bin('FBFF'), 'urlsafe', 'no_padding')"));
        assertEquals("hello", text("base64_decode('aGVsbG8', 'no_padding')"));
        assertEquals("FBFF", eval("bin2hexstr(base64_decode('-_8', 'no_padding', 'urlsafe'))"));
        assertTrue(failure("base64_decode('aGVsbG8')").contains("padded"));
    }

    @Test
    public void json() {
        assertEquals(1L, eval("map_get('a', json_decode('{\"a\": 1}'))"));
        assertEquals("[1,2,3]", eval("json_encode([1,2,3])"));
        assertEquals("{\"a\":\"x\",\"b\":1.5,\"c\":null}", eval("json_encode(json_decode('{\"a\":\"x\",\"b\":1.5,\"c\":null}'))"));
        assertEquals(List.of(Map.of("a", true)), eval("json_decode('[{\"a\": true}]')"));
        assertTrue(failure("json_decode('{')").startsWith("bad_sql_function_argument: json_decode"));
    }

    @Test
    public void uuids() {
        assertTrue(((String) eval("uuid_v4()")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertTrue(((String) eval("uuid_v4_no_hyphen()")).matches("[0-9a-f]{32}"));
    }
}
