package io.aviary.rules;

import static io.aviary.rules.Rules.eval;
import static io.aviary.rules.Rules.failure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** String functions against EMQX's documented examples (escapes written with unescape, as EMQX advises). */
public class StringFunctionsTest {

    @Test
    public void ascii() {
        assertEquals(97L, eval("ascii('a')"));
        assertEquals(97L, eval("ascii('abc')"));
    }

    @Test
    public void concat() {
        assertEquals("Name:John", eval("concat('Name:', 'John')"));
        assertEquals("a1true", eval("concat(['a', 1, true])"));
        // binary data stays exact
        assertEquals("FF00", eval("bin2hexstr(concat(hexstr2bin('FF'), hexstr2bin('00')))"));
        assertEquals("FF61", eval("bin2hexstr(hexstr2bin('FF') + 'a')"));
    }

    @Test
    public void find() {
        assertEquals("Value: 1.2", eval("find('..., Value: 1.2', 'Value:')"));
        assertEquals("", eval("find('..., Value: 1.2', 'Data')"));
        assertEquals(", Middle, End", eval("find('Front, Middle, End', ', ', 'leading')"));
        assertEquals(", End", eval("find('Front, Middle, End', ', ', 'trailing')"));
    }

    @Test
    public void joinToString() {
        assertEquals("a, b, c", eval("join_to_string(', ', ['a', 'b', 'c'])"));
        assertEquals("a, 1", eval("join_to_string(['a', 1])"));
    }

    @Test
    public void joinToSqlValuesString() {
        assertEquals("'a', 1, 'it\\'s'", eval("join_to_sql_values_string(['a', 1, 'it''s'])"));
    }

    @Test
    public void lowerUpperReverseStrlen() {
        assertEquals("hello", eval("lower('Hello')"));
        assertEquals("HELLO", eval("upper('hello')"));
        assertEquals("olleh", eval("reverse('hello')"));
        assertEquals(5L, eval("strlen('hello')"));
        assertEquals(6L, eval("strlen(unescape('hello\\n'))"));
        assertEquals("true", eval("upper(false) = 'FALSE' and 'true'"));
        assertTrue(failure("lower(nothing)").startsWith("bad_sql_function_argument: lower"));
    }

    @Test
    public void trims() {
        assertEquals("hello  \n", eval("ltrim(unescape('\\t  hello  \\n'))"));
        assertEquals("\t  hello", eval("rtrim(unescape('\\t  hello \\r\\n'))"));
        assertEquals("hello", eval("trim(unescape('\\t  hello  \\n'))"));
        assertEquals("abc", eval("rtrim('abc...', '.')"));
    }

    @Test
    public void pad() {
        assertEquals("hello   ", eval("pad('hello', 8)"));
        assertEquals("   hello", eval("pad('hello', 8, 'leading')"));
        assertEquals("hello   ", eval("pad('hello', 8, 'trailing')"));
        assertEquals(" hello  ", eval("pad('hello', 8, 'both')"));
        assertEquals("hello!!!", eval("pad('hello', 8, 'trailing', '!')"));
        assertEquals("hello", eval("pad('hello', 3)"));
    }

    @Test
    public void regexMatchReplaceExtract() {
        assertEquals(true, eval("regex_match('123', '^\\d+$')"));
        assertEquals(false, eval("regex_match('a23', '^\\d+$')"));
        assertEquals("hello world", eval("regex_replace('hello 123', '\\d+', 'world')"));
        assertEquals("a,b,c", eval("regex_replace('a;b; c', ';\\s*', ',')"));
        assertEquals("[12]-[3]", eval("regex_replace('12-3', '\\d+', '[&]')"));
        assertEquals("b-a", eval("regex_replace('a-b', '(\\w)-(\\w)', '\\2-\\1')"));
        assertEquals(List.of("12345"), eval("regex_extract('Number: 12345', '(\\d+)')"));
        assertEquals(List.of("2021", "05", "20"), eval("regex_extract('Date: 2021-05-20', '(\\d{4})-(\\d{2})-(\\d{2})')"));
        assertEquals(List.of(), eval("regex_extract('No numbers here!', '(\\d+)')"));
        assertTrue(failure("regex_match('a', '(')").startsWith("bad regular expression"));
    }

    @Test
    public void replace() {
        assertEquals("ab**cd**ef", eval("replace('ab..cd..ef', '..', '**')"));
        assertEquals("abcdef", eval("replace('ab..cd..ef', '..', '')"));
        assertEquals("ab**cd**ef", eval("replace('ab..cd..ef', '..', '**', 'all')"));
        assertEquals("ab**cd..ef", eval("replace('ab..cd..ef', '..', '**', 'leading')"));
        assertEquals("ab..cd**ef", eval("replace('ab..cd..ef', '..', '**', 'trailing')"));
    }

    @Test
    public void rmPrefix() {
        assertEquals("bar", eval("rm_prefix('foo/bar', 'foo/')"));
        assertEquals("foo/bar", eval("rm_prefix('foo/bar', 'xxx/')"));
    }

    @Test
    public void split() {
        assertEquals(List.of("a"), eval("split('a;', ';')"));
        assertEquals(List.of("a", "b", "c"), eval("split('a;;b;;c', ';')"));
        assertEquals(List.of("Sienna Blake", " Howell Wise"), eval("split('Sienna Blake; Howell Wise', ';')"));
        assertEquals(List.of("Sienna Blake", "Howell Wise"), eval("split('Sienna Blake; Howell Wise', '; ')"));
        assertEquals(List.of("a", "", "b", "", "c"), eval("split('a;;b;;c', ';', 'notrim')"));
        assertEquals(List.of("a", "b;c"), eval("split('a;b;c', ';', 'leading')"));
        assertEquals(List.of("a;b", "c"), eval("split('a;b;c', ';', 'trailing')"));
        assertEquals(List.of("", "a;b;c"), eval("split(';a;b;c', ';', 'leading_notrim')"));
        assertEquals(List.of("a;b;c", ""), eval("split('a;b;c;', ';', 'trailing_notrim')"));
        assertEquals(List.of(), eval("split('/', '/')"));
    }

    @Test
    public void sprintf() {
        assertEquals("hello, steve!", eval("sprintf('hello, ~s!', 'steve')"));
        assertEquals("count: 100\n", eval("sprintf('count: ~p~n', 100)"));
        assertEquals("<<\"a\">> 1.50 ff", eval("sprintf('~p ~.2f ~.16b', 'a', 1.5, 255)"));
        assertEquals("x=1", eval("sprintf_s('x=~w', [1])"));
        assertTrue(failure("sprintf('~s ~s', 'a')").contains("needs more arguments"));
    }

    @Test
    public void substr() {
        assertEquals("hello", eval("substr('hello', 0)"));
        assertEquals("world", eval("substr('hello world', 6)"));
        assertEquals("world", eval("substr('hello world!', 6, 5)"));
        assertEquals("", eval("substr('', 1)"));
        assertEquals("bc", eval("substr('abcd', 1, 2)"));
    }

    @Test
    public void tokens() {
        assertEquals(List.of("a", "b", "c", "d"), eval("tokens('a,b;c,d', ',;')"));
        assertEquals(List.of("a", "b"), eval("tokens('a;;b', ';')"));
        assertEquals(List.of("a", "b", "c", "d"), eval("tokens(unescape('a\\rb\\nc\\r\\nd'), ';', 'nocrlf')"));
    }

    @Test
    public void unescape() {
        assertEquals("a\nb\t\"\\", eval("unescape('a\\nb\\t\\\"\\\\')"));
        assertEquals("A", eval("unescape('\\x41')"));
        assertTrue(failure("unescape('\\q')").startsWith("unrecognized_escape_sequence"));
    }
}
