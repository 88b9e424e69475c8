package io.aviary.rules;

import static io.aviary.rules.Rules.eval;
import static io.aviary.rules.Rules.failure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Bit operations and subbits in every arity, against EMQX's documented examples. */
public class BitFunctionsTest {

    @Test
    public void integerBitOperations() {
        assertEquals(8L, eval("bitand(10, 8)"));
        assertEquals(-16L, eval("bitand(-10, -8)"));
        assertEquals(-11L, eval("bitnot(10)"));
        assertEquals(11L, eval("bitnot(-12)"));
        assertEquals(32L, eval("bitsl(8, 2)"));
        assertEquals(-32L, eval("bitsl(-8, 2)"));
        assertEquals(2L, eval("bitsr(8, 2)"));
        assertEquals(0L, eval("bitsr(8, 4)"));
        assertEquals(-2L, eval("bitsr(-8, 2)"));
        assertEquals(-1L, eval("bitsr(-8, 6)"));
        assertEquals(10L, eval("bitor(10, 8)"));
        assertEquals(-2L, eval("bitor(-10, -8)"));
        assertEquals(2L, eval("bitxor(10, 8)"));
        assertEquals(14L, eval("bitxor(-10, -8)"));
        assertTrue(failure("bitand(1.5, 1)").contains("must be an integer"));
    }

    @Test
    public void sizes() {
        assertEquals(24L, eval("bitsize('abc')"));
        assertEquals(48L, eval("bitsize('你好')"));
        assertEquals(3L, eval("bytesize('abc')"));
        assertEquals(6L, eval("bytesize('你好')"));
    }

    @Test
    public void subbitsFromTheStart() {
        assertEquals(159L, eval("subbits(hexstr2bin('9F4E58'), 8)"));
        assertEquals(40782L, eval("subbits(hexstr2bin('9F4E58'), 16)"));
        assertEquals(159L, eval("subbits(base64_decode('n05Y'), 8)"));
    }

    @Test
    public void subbitsFromAnOffset() {
        assertEquals(159L, eval("subbits(hexstr2bin('9F4E58'), 1, 8)"));
        assertEquals(78L, eval("subbits(hexstr2bin('9F4E58'), 9, 8)"));
        assertEquals(4L, eval("subbits(base64_decode('n05Y'), 9, 4)"));
    }

    @Test
    public void subbitsTypedSignedAndEndian() {
        assertEquals(40782L, eval("subbits(hexstr2bin('9F4E58'), 1, 16, 'integer', 'unsigned', 'big')"));
        assertEquals(-24754L, eval("subbits(hexstr2bin('9F4E58'), 1, 16, 'integer', 'signed', 'big')"));
        assertEquals(20127L, eval("subbits(hexstr2bin('9F4E58'), 1, 16, 'integer', 'unsigned', 'little')"));
        assertEquals(-0.00713348388671875, eval("subbits(hexstr2bin('9F4E58'), 1, 16, 'float', 'unsigned', 'big')"));
        assertEquals(-0.00713348388671875, eval("subbits(hexstr2bin('9F4E58'), 1, 16, 'float', 'signed', 'big')"));
        assertEquals(1.5, eval("subbits(hexstr2bin('3FC00000'), 1, 32, 'float')"));
        assertEquals(-1L, eval("subbits(hexstr2bin('FF'), 1, 4, 'integer', 'signed')"));
        assertEquals("4E", eval("bin2hexstr(subbits(hexstr2bin('9F4E58'), 9, 8, 'bits', 'unsigned', 'big'))"));
    }

    @Test
    public void subbitsPastTheEndIsUndefinedAndShortReadsTakeTheRest() {
        assertEquals(null, eval("subbits(hexstr2bin('9F'), 9, 8)"));
        assertEquals(0x4E58L, eval("subbits(hexstr2bin('9F4E58'), 9, 32)"));
    }

    @Test
    public void subbitsOfPartialBitsRendersHex() {
        // 7 bits 0b0100111 pad to 0x27, as emqx_rule_funcs_SUITE shows
        assertEquals("27", eval("bin2hexstr(subbits(hexstr2bin('4E'), 1, 7, 'bits'))"));
        assertEquals(7L, eval("bitsize(subbits(hexstr2bin('4E'), 1, 7, 'bits'))"));
    }

    @Test
    public void subbitsBadOptionsFail() {
        assertTrue(failure("subbits('a', 1, 8, 'text')").startsWith("bad_sql_function_argument: subbits"));
        assertTrue(failure("subbits('ab', 1, 12, 'float')").contains("16, 32 or 64"));
    }
}
