package io.aviary.broker.transport;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Addresses and CIDR blocks (IPv4 and IPv6) whose word about a client's real address is
 * believed: a WebSocket listener's trusted_proxies. Also used by the ban list for CIDR bans.
 */
public final class TrustedProxies {
    private final List<Cidr> blocks = new ArrayList<>();

    public TrustedProxies(List<String> entries) {
        for (String e : entries) {
            blocks.add(Cidr.parse(e));
        }
    }

    public boolean contains(InetAddress address) {
        for (Cidr c : blocks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** One address block, "10.0.0.0/8" or a single address. */
    public record Cidr(byte[] network, int bits) {
        public static Cidr parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            InetAddress a = NetUtil.createInetAddressFromIpAddressString(slash < 0 ? t : t.substring(0, slash));
            if (a == null) {
                throw new IllegalArgumentException("not an IP address or CIDR: " + text);
            }
            int max = a.getAddress().length * 8;
            int bits = slash < 0 ? max : Integer.parseInt(t.substring(slash + 1));
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("bad prefix length in " + text);
            }
            return new Cidr(a.getAddress(), bits);
        }

        public boolean contains(InetAddress address) {
            if (address == null) {
                return false;
            }
            byte[] b = address.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (b[full] & mask) == (network[full] & mask);
        }
    }
}
