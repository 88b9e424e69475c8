/**
 * Aviary's MQTT conformance suite: black-box tests of the broker's server-side normative
 * statements (MQTT 3.1.1 and 5.0), one class per spec area, each against its own running
 * distribution. A test named {@code MQTT_a_b_c_n_...} proves the numbered statement
 * [MQTT-a.b.c-n] (several ids joined by {@code _and_}); {@code SEC_a_b_c_...} proves a rule of
 * section a.b.c that carries no statement number. docs/conformance.md maps every statement.
 */
package io.aviary.conformance;
