package io.aviary.rules;

import static io.aviary.rules.Rules.eval;
import static io.aviary.rules.Rules.failure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** Math functions against EMQX's documented examples. */
public class MathFunctionsTest {

    private static void near(double expected, Object actual) {
        assertEquals(expected, ((Number) actual).doubleValue(), 1e-12);
    }

    @Test
    public void abs() {
        assertEquals(12L, eval("abs(-12)"));
        near(1.2, eval("abs(-1.2)"));
    }

    @Test
    public void trigonometryAndHyperbolic() {
        near(1.0471975511965976, eval("acos(0.5)"));
        near(0.9624236501192069, eval("acosh(1.5)"));
        near(0.5235987755982988, eval("asin(0.5)"));
        near(0.48121182505960347, eval("asinh(0.5)"));
        near(0.46364760900080615, eval("atan(0.5)"));
        near(0.5493061443340549, eval("atanh(0.5)"));
        near(0.8775825618903728, eval("cos(0.5)"));
        near(1.1276259652063807, eval("cosh(0.5)"));
        near(0.479425538604203, eval("sin(0.5)"));
        near(0.5210953054937474, eval("sinh(0.5)"));
        near(0.5463024898437905, eval("tan(0.5)"));
        near(0.46211715726000974, eval("tanh(0.5)"));
    }

    @Test
    public void roundingGivesIntegers() {
        assertEquals(1L, eval("ceil(0.8)"));
        assertEquals(3L, eval("floor(3.6)"));
        assertEquals(5L, eval("round(4.5)"));
        assertEquals(-5L, eval("round(-4.5)"));
        assertEquals(7L, eval("ceil(7)"));
    }

    @Test
    public void exponentsAndLogarithms() {
        near(2.718281828459045, eval("exp(1)"));
        near(2.0, eval("log(7.38905609893065)"));
        near(2.0, eval("log10(100)"));
        near(3.0, eval("log2(8)"));
        near(3.0874628412503395, eval("log2(8.5)"));
        assertEquals(8.0, eval("power(2, 3)"));
        assertEquals(3.0, eval("sqrt(9)"));
        assertEquals(1.5, eval("fmod(6.5, 2.5)"));
    }

    @Test
    public void outsideTheDomainIsAnError() {
        assertTrue(failure("log(0)").startsWith("badarith"));
        assertTrue(failure("sqrt(-1)").startsWith("badarith"));
        assertTrue(failure("sin('x')").contains("must be a number"));
    }

    @Test
    public void randomIsInTheUnitInterval() {
        double r = ((Number) eval("random()")).doubleValue();
        assertTrue(r >= 0 && r < 1);
    }

    @Test
    public void modDivAndEqAsFunctions() {
        assertEquals(1L, eval("mod(7, 3)"));
        assertEquals(-1L, eval("mod(-7, 3)"));
        assertEquals(2L, eval("div(7, 3)"));
        assertEquals(true, eval("eq(1, 1.0)"));
    }
}
