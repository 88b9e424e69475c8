/**
 * TEST FIXTURE, not a product plugin: a tiny authenticator and authorizer that the black-box
 * conformance tests drop into a running distribution's plugins/ folder, so that statements
 * which need an authentication or authorization decision can be observed on the wire.
 *
 * <p>These classes are compiled in the assembly module's test tree against {@code bundles/api}
 * (and {@code org.osgi.framework}) only, and {@link io.aviary.itest.AuthFixtureBundle} packs
 * them into a real OSGi bundle jar at test time. Nothing here is shipped. The rules are fixed
 * and deliberately simple; see {@link io.aviary.itest.authfixture.FixtureAuthenticator} and
 * {@link io.aviary.itest.authfixture.FixtureAuthorizer}.
 */
package io.aviary.itest.authfixture;
