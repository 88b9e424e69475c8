package io.aviary.rules;

import static org.junit.Assert.assertTrue;

import io.aviary.rules.internal.Functions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Test;

/**
 * Every built-in function is documented in docs/rules.md (a heading with an example) and
 * called by a unit test, so a function added without either fails the build.
 */
public class FunctionCatalogueTest {

    private static final Pattern CALL = Pattern.compile("([a-z0-9_]+)\\(");

    private static Set<String> called(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = CALL.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    public void everyFunctionIsDocumentedWithAnExample() throws IOException {
        Path doc = Path.of("../../docs/rules.md");
        List<String> headings = Files.readAllLines(doc).stream().filter(l -> l.startsWith("### ")).collect(Collectors.toList());
        Set<String> documented = called(String.join("\n", headings));
        assertTrue("the registry has EMQX's functions", Functions.names().size() > 100);
        Set<String> missing = new TreeSet<>(Functions.names());
        missing.removeAll(documented);
        assertTrue("not in docs/rules.md: " + missing, missing.isEmpty());
    }

    @Test
    public void everyFunctionIsCalledByAUnitTest() throws IOException {
        StringBuilder tests = new StringBuilder();
        try (Stream<Path> files = Files.list(Path.of("src/test/java/io/aviary/rules"))) {
            for (Path p : files.filter(f -> f.toString().endsWith("FunctionsTest.java")).collect(Collectors.toList())) {
                tests.append(Files.readString(p));
            }
        }
        Set<String> missing = new TreeSet<>(Functions.names());
        missing.removeAll(called(tests.toString()));
        assertTrue("no unit test calls: " + missing, missing.isEmpty());
    }
}
