package io.aviary.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Action templates render a rule's output the way EMQX's do. */
public class TemplateTest {

    private static Map<String, Object> output() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clientid", "c1");
        out.put("t", 25.5);
        out.put("n", 3L);
        out.put("ok", true);
        out.put("a", new LinkedHashMap<>(Map.of("b", "deep")));
        out.put("list", List.of(1L, 2L));
        out.put("payload", "{\"x\": {\"y\": 7}}".getBytes(StandardCharsets.UTF_8));
        return out;
    }

    @Test
    public void fieldsAndPathsRender() {
        assertEquals("sensors/c1/temp=25.5 n=3 ok=true",
                Template.parse("sensors/${clientid}/temp=${t} n=${n} ok=${ok}").render(output()));
        assertEquals("deep", Template.parse("${a.b}").render(output()));
    }

    @Test
    public void aPathIntoAJsonStringDecodesIt() {
        assertEquals("7", Template.parse("${payload.x.y}").render(output()));
        assertEquals("{\"x\": {\"y\": 7}}", Template.parse("${payload}").render(output()));
    }

    @Test
    public void dotIsTheWholeOutputAsJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("a", 1L);
        out.put("b", "x");
        assertEquals("{\"a\":1,\"b\":\"x\"}", Template.parse("${.}").render(out));
    }

    @Test
    public void mapsAndArraysRenderAsJson() {
        assertEquals("{\"b\":\"deep\"} [1,2]", Template.parse("${a} ${list}").render(output()));
    }

    @Test
    public void aMissingFieldRendersUndefinedAsInEmqx() {
        assertEquals("x=undefined y=undefined", Template.parse("x=${nope} y=${a.nope.deeper}").render(output()));
    }

    @Test
    public void textWithoutPlaceholdersOrWithAnOpenOneIsLiteral() {
        Template t = Template.parse("plain ${unclosed");
        assertTrue(t.isConstant());
        assertEquals("plain ${unclosed", t.render(output()));
        assertEquals(List.of("clientid", "a.b"), Template.parse("${clientid}/${ a.b }").placeholders());
    }

    @Test
    public void aBinaryPayloadPassesThroughUnchanged() {
        Map<String, Object> out = new LinkedHashMap<>();
        byte[] binary = {(byte) 0xff, 0, (byte) 0x80};
        out.put("payload", binary);
        assertTrue(binary == Template.parse("${payload}").renderBytes(out));
        assertEquals("p=undefined", new String(Template.parse("p=${x}").renderBytes(out), StandardCharsets.UTF_8));
    }

    @Test
    public void lookupGivesTheValueForNonTextFields() {
        assertEquals(3L, Template.lookup(output(), new String[] {"n"}));
        assertEquals(null, Template.lookup(output(), new String[] {"missing"}));
    }

    @Test
    public void aRuleOutputFeedsATemplate() {
        Map<String, Object> out = Rules.one("SELECT payload.temp AS t, clientid FROM \"t/#\"", "{\"temp\": 21}");
        assertEquals("{\"t\":21,\"clientid\":\"c1\"}", Template.parse("${.}").render(out));
    }
}
