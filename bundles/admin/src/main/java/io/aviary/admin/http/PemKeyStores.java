package io.aviary.admin.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Turns the PEM files of {@code ssl_options} (as the MQTT listeners take them) into the
 * in-memory key stores Jetty's TLS wants. The JDK reads PEM certificates itself; private keys
 * are PKCS#8, plain or encrypted with a password (what {@code openssl pkcs8 -topk8} and
 * {@code openssl genpkey} write). Errors name the file and say how to convert it.
 */
public final class PemKeyStores {

    /** Password of the in-memory stores only; they never leave the process. */
    static final char[] STORE_PASSWORD = "aviary".toCharArray();
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private PemKeyStores() {
    }

    /** A key store holding the private key of {@code keyFile} under the chain of {@code certFile}. */
    public static KeyStore keyStore(Path certFile, Path keyFile, String password) throws GeneralSecurityException {
        List<Certificate> chain = certificates(certFile);
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("certfile " + certFile + " holds no PEM certificate");
        }
        PrivateKey key = privateKey(keyFile, password);
        KeyStore store = empty();
        store.setKeyEntry("server", key, STORE_PASSWORD, chain.toArray(Certificate[]::new));
        return store;
    }

    /** A trust store of every certificate in {@code caFile}. */
    public static KeyStore trustStore(Path caFile) throws GeneralSecurityException {
        List<Certificate> cas = certificates(caFile);
        if (cas.isEmpty()) {
            throw new GeneralSecurityException("cacertfile " + caFile + " holds no PEM certificate");
        }
        KeyStore store = empty();
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        return store;
    }

    private static List<Certificate> certificates(Path file) throws GeneralSecurityException {
        try (var in = Files.newInputStream(file)) {
            return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read " + file + ": " + e, e);
        }
    }

    private static PrivateKey privateKey(Path file, String password) throws GeneralSecurityException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read keyfile " + file + ": " + e, e);
        }
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (m.group(1)) {
                case "PRIVATE KEY":
                    return pkcs8(new PKCS8EncodedKeySpec(der), file);
                case "ENCRYPTED PRIVATE KEY":
                    return pkcs8(decrypt(der, password, file), file);
                case "RSA PRIVATE KEY", "EC PRIVATE KEY":
                    throw new GeneralSecurityException("keyfile " + file + " is in the traditional " + m.group(1)
                            + " format; convert it with: openssl pkcs8 -topk8 -nocrypt -in <key> -out <key.pk8>");
                default:
                    // certificates or parameters next to the key: skip
            }
        }
        throw new GeneralSecurityException("keyfile " + file + " holds no PEM private key");
    }

    /** openssl's PBES2 keys: the algorithm parameters name the JCE algorithm (e.g. PBEWithHmacSHA256AndAES_256). */
    private static PKCS8EncodedKeySpec decrypt(byte[] der, String password, Path file) throws GeneralSecurityException {
        if (password == null || password.isEmpty()) {
            throw new GeneralSecurityException("keyfile " + file + " is encrypted: set ssl_options.password");
        }
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters params = info.getAlgParameters();
            String algorithm = params == null ? info.getAlgName() : params.toString();
            var key = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray()));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, key, params);
            return info.getKeySpec(cipher);
        } catch (IOException | GeneralSecurityException e) {
            throw new GeneralSecurityException("keyfile " + file + ": cannot decrypt the key (wrong password or an"
                    + " unsupported cipher): " + e.getMessage(), e);
        }
    }

    private static PrivateKey pkcs8(PKCS8EncodedKeySpec spec, Path file) throws GeneralSecurityException {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException wrongType) {
                // try the next key type
            }
        }
        throw new GeneralSecurityException("keyfile " + file + " holds a key of an unsupported type");
    }

    private static KeyStore empty() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }
}
