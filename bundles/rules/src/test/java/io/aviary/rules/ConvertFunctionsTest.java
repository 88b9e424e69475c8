package io.aviary.rules;

import static io.aviary.rules.Rules.eval;
import static io.aviary.rules.Rules.failure;
import static io.aviary.rules.Rules.text;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.Test;

/** Type checks and conversions against EMQX's documented examples. */
public class ConvertFunctionsTest {

    @Test
    public void isArray() {
        assertEquals(true, eval("is_array([1, 2])"));
        assertEquals(true, eval("is_array(json_decode('[{\"value\": 1}]'))"));
        assertEquals(false, eval("is_array(json_decode('{\"value\": 1}'))"));
        assertEquals(false, eval("is_array(0.5)"));
        assertEquals(false, eval("is_array('[1, 2]')"));
    }

    @Test
    public void isBoolIntFloatNumStrMap() {
        assertEquals(true, eval("is_bool(true)"));
        assertEquals(false, eval("is_bool('true')"));
        assertEquals(true, eval("is_float(123.4)"));
        assertEquals(false, eval("is_float(123)"));
        assertEquals(true, eval("is_int(123)"));
        assertEquals(false, eval("is_int(123.4)"));
        assertEquals(true, eval("is_num(123.4)"));
        assertEquals(false, eval("is_num('123')"));
        assertEquals(true, eval("is_str('123')"));
        assertEquals(false, eval("is_str(123)"));
        assertEquals(true, eval("is_str(payload)"));
        assertEquals(true, eval("is_map(json_decode('{\"value\": 1}'))"));
        assertEquals(false, eval("is_map(json_decode('[{\"value\": 1}]'))"));
    }

    @Test
    public void isNullAndIsNullVar() {
        assertEquals(true, eval("is_null(this_is_an_unassigned_variable)"));
        assertEquals(true, eval("is_null(map_get('b', json_decode('{\"a\": 1}')))"));
        assertEquals(false, eval("is_null(map_get('b', json_decode('{\"b\": null}')))"));
        assertEquals(true, eval("is_null_var(map_get('b', json_decode('{\"b\": null}')))"));
        assertEquals(false, eval("is_not_null(this_is_an_unassigned_variable)"));
        assertEquals(false, eval("is_not_null_var(map_get('b', json_decode('{\"b\": null}')))"));
        assertEquals(true, eval("is_not_null_var(1)"));
    }

    @Test
    public void isEmpty() {
        assertEquals(true, eval("is_empty([])"));
        assertEquals(true, eval("is_empty('')"));
        assertEquals(true, eval("is_empty(map_new())"));
        assertEquals(false, eval("is_empty([1])"));
        assertEquals(false, eval("is_empty('{\"a\": 1}')"));
    }

    @Test
    public void bool() {
        assertEquals(true, eval("bool(true)"));
        assertEquals(false, eval("bool(0)"));
        assertEquals(false, eval("bool('false')"));
        assertEquals(true, eval("bool(1)"));
        assertTrue(failure("bool('yes')").startsWith("bad_sql_function_argument: bool"));
    }

    @Test
    public void floatConversion() {
        assertEquals(20.0, eval("float(20)"));
        assertEquals(3.14, eval("float('3.14')"));
        assertEquals(31400.0, eval("float('3.14e4')"));
        assertEquals(31400.0, eval("float('3.14e+4')"));
        assertEquals(0.000314, eval("float('3.14E-4')"));
        assertEquals(0.12345678901234566, eval("float('0.12345678901234567')"));
        assertEquals(3.142, eval("float('3.1415926', 3)"));
        assertEquals(0.00001, eval("float('0.000012345', 5)"));
        assertEquals(7.0, eval("float('7')"));
    }

    @Test
    public void float2str() {
        assertEquals("0.1", eval("float2str(0.1, 5)"));
        assertEquals("0.10000000000000000555", eval("float2str(0.1, 20)"));
        assertEquals("0.1000000000000000055511151", eval("float2str(0.1, 25)"));
        assertEquals("0.00000000001", eval("float2str(0.00000000001, 20)"));
        assertEquals("0.1", eval("float2str(0.100001, 5)"));
        assertEquals("123456789.01234566", eval("float2str(123456789.01234565, 8)"));
    }

    @Test
    public void intConversion() {
        assertEquals(1L, eval("int(true)"));
        assertEquals(3L, eval("int(3.14)"));
        assertEquals(-4L, eval("int(-3.14)"));
        assertEquals(-100L, eval("int('-100')"));
        assertEquals(200L, eval("int('+200')"));
        assertEquals(10L, eval("int('0010')"));
        assertEquals(314L, eval("int('3.1415e2')"));
        assertEquals(100L, eval("int(substr('Number 100', 7))"));
        assertTrue(failure("int('abc')").startsWith("bad_sql_function_argument: int"));
    }

    @Test
    public void str() {
        assertEquals("100", eval("str(100)"));
        assertEquals("false", eval("str(nth(1, json_decode('[false]')))"));
        assertEquals("{\"msg\":\"hello\"}", eval("str(json_decode('{\"msg\": \"hello\"}'))"));
        assertEquals("[{\"msg\":\"hello\"}]", eval("str(json_decode('[{\"msg\": \"hello\"}]'))"));
        assertEquals("3.1415926536", eval("str(3.14159265359)"));
        assertEquals("0.0000003142", eval("str(0.000000314159265359)"));
        assertEquals("2.0", eval("str(2.0)"));
        assertEquals("undefined", eval("str(nothing_here)"));
    }

    @Test
    public void strUtf8AndUtf16() {
        assertEquals("12", eval("str_utf8(12)"));
        assertArrayEquals("ab".getBytes(StandardCharsets.UTF_16LE), (byte[]) eval("str_utf16_le('ab')"));
    }

    @Test
    public void mapConversion() {
        assertEquals(Map.of("a", 1L), eval("map('{\"a\": 1}')"));
        assertEquals(Map.of("a", 1L), eval("map(json_decode('{\"a\": 1}'))"));
        assertTrue(failure("map('[1]')").startsWith("bad_sql_function_argument: map"));
    }

    @Test
    public void hexStrings() {
        assertEquals("68656C6C6F", eval("bin2hexstr('hello')"));
        assertEquals("0x68656C6C6F", eval("bin2hexstr('hello', '0x')"));
        assertEquals("0x68656C6C6F", eval("sqlserver_bin2hexstr('hello')"));
        assertEquals("hello", text("hexstr2bin('68656C6C6F')"));
        assertEquals("hello", text("hexstr2bin('0x68656c6c6f', '0x')"));
        assertArrayEquals(new byte[] {0x0a}, (byte[]) eval("hexstr2bin('A')"));
        assertTrue(failure("hexstr2bin('AB', '0x')").startsWith("binary_prefix_unmatch"));
        assertTrue(failure("hexstr2bin('XYZ1')").contains("not a hex string"));
    }
}
