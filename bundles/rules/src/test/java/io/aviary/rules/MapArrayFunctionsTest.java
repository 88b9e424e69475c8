package io.aviary.rules;

import static io.aviary.rules.Rules.eval;
import static io.aviary.rules.Rules.failure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Map and array functions against EMQX's documented examples. */
public class MapArrayFunctionsTest {

    @Test
    public void mapGet() {
        assertEquals("hello", eval("map_get('msg', json_decode('{\"msg\": \"hello\"}'))"));
        assertEquals(null, eval("map_get('data', json_decode('{\"msg\": \"hello\"}'))"));
        assertEquals("", eval("map_get('data', json_decode('{\"msg\": \"hello\"}'), '')"));
        assertEquals(List.of(), eval("map_get('value', json_decode('{\"data\": [1.2, 1.3]}'), [])"));
        assertEquals(1L, eval("map_get('a.b', json_decode('{\"a\": {\"b\": 1}}'))"));
        assertEquals(1L, eval("map_get('a', '{\"a\": 1}')"));
    }

    @Test
    public void mapPutReturnsACopy() {
        assertEquals(1L, eval("map_get('b', map_put('b', 1, json_decode('{\"a\": 1}')))"));
        assertEquals(2L, eval("map_get('a', map_put('a', 2, json_decode('{\"a\": 1}')))"));
        assertEquals(Map.of("a", Map.of("b", 1L)), eval("map_put('a.b', 1, map_new())"));
        Map<String, Object> out = Rules.one("SELECT json_decode('{\"a\": 1}') AS m, map_put('a', 2, m) AS m2 FROM \"t/#\"", "{}");
        assertEquals(Map.of("a", 1L), out.get("m"));
        assertEquals(Map.of("a", 2L), out.get("m2"));
    }

    @Test
    public void mapKeysValuesEntriesSize() {
        assertEquals(List.of("a", "b"), eval("map_keys(json_decode('{\"a\": 1, \"b\": 2}'))"));
        assertEquals(List.of(1L, 2L), eval("map_values(json_decode('{\"a\": 1, \"b\": 2}'))"));
        assertEquals(List.of(Map.of("key", "a", "value", 1L), Map.of("key", "b", "value", 2L)),
                eval("map_to_entries(json_decode('{\"a\": 1, \"b\": 2}'))"));
        assertEquals(2L, eval("map_size('{\"a\": 1, \"b\": 2}')"));
        assertEquals(Map.of(), eval("map_new()"));
    }

    @Test
    public void mgetAndMput() {
        assertEquals(null, eval("mget('c', json_decode('{\"a\": {\"b\": 1}}'))"));
        assertEquals(Map.of("b", 1L), eval("mget('a', json_decode('{\"a\": {\"b\": 1}}'))"));
        assertEquals(0L, eval("mget('c', json_decode('{\"a\": 1}'), 0)"));
        assertEquals(1L, eval("mget(['a', 'b'], json_decode('{\"a\": {\"b\": 1}}'))"));
        assertEquals(2L, eval("mget(['a', 'b'], mput(['a', 'b'], 2, json_decode('{\"a\": {\"b\": 1}}')))"));
        assertEquals(2L, eval("mget(['a', 'b'], mput(['a', 'b'], 2, json_decode('{\"c\": 1}')))"));
        assertEquals(Map.of("a", 1L, "k", "v"), eval("mput('k', 'v', '{\"a\": 1}')"));
    }

    @Test
    public void contains() {
        assertEquals(true, eval("contains(2, [1, 2, 3])"));
        assertEquals(false, eval("contains(2.3, [1.8, 2.5, 2.0])"));
        assertEquals(true, eval("contains('John', ['John', 'David'])"));
        assertEquals(true, eval("contains([1, 2], ['a', 'b', [1, 2]])"));
        assertEquals(true, eval("contains(json_decode('{\"a\": 1}'), [json_decode('{\"a\": 1}'), json_decode('{\"b\": 2}')])"));
    }

    @Test
    public void firstLastLengthNth() {
        assertEquals("John", eval("first(['John', 'David'])"));
        assertEquals("David", eval("last(['John', 'David'])"));
        assertEquals(4L, eval("length([1,2,3,4])"));
        assertEquals(0L, eval("length([])"));
        assertEquals(1L, eval("nth(1, [1,2,3])"));
        assertTrue(failure("nth(4, [1,2,3])").contains("outside 1..3"));
        assertTrue(failure("first([])").contains("empty"));
        assertTrue(failure("last('x')").contains("must be an array"));
    }

    @Test
    public void sublist() {
        assertEquals(List.of(1L, 2L, 3L), eval("sublist(3, [1,2,3,4])"));
        assertEquals(List.of(1L, 2L, 3L, 4L), eval("sublist(10, [1,2,3,4])"));
        assertEquals(List.of(2L, 3L, 4L), eval("sublist(2, 10, [1,2,3,4])"));
        assertTrue(failure("sublist(9, 1, [1])").startsWith("bad_sql_function_argument: sublist"));
    }
}
