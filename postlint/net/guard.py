"""The address guard: which hosts postlint may send a request to (URL005).

Long because: every spelling of a host (IPv4 in octal, hex and short forms,
IPv6 with embedded IPv4, IDNA names, allow-list entries with ports) and the
IANA special-purpose tables are judged in this one module, which the transport
trusts; spread over several, it would be harder to see that every path is
vetted.

A URL field is written by whoever wrote the post; a linter run in CI must not
be a way to reach the CI machine's own services, the cloud metadata endpoint or
the office network. So every host (the first one and every redirect target) is
resolved here, every address it resolves to is classified, and the host is
refused when ANY of them is not public. The transport then connects to an
address vetted here and never resolves the name again (see `transport.py`),
so a second, different DNS answer cannot slip through.

Classification uses fixed tables rather than `ipaddress`'s `is_private` &c.,
whose answers changed between Python releases (3.11 calls 2001:2::/48 and
100:0:0:1::/64 global, for example). The tables follow the IANA IPv4 and IPv6
Special-Purpose Address Registries: every block whose "Globally Reachable" is
False is refused, plus multicast (224.0.0.0/4, ff00::/8), the deprecated
site-local fec0::/10 and everything outside 2000::/3 that no other entry names.
Deliberately stricter than the registries: all of 192.0.0.0/24 and
2001::/23, ORCHIDv2 (2001:20::/28) and the deprecated 6to4 relay anycast
192.88.99.0/24 are refused although a few addresses in them are marked
globally reachable: they are anycast service addresses and identifiers
(PCP, TURN, AMT, AS112, drone IDs), never the server of a web page.
Addresses that embed an IPv4 address are judged by it: IPv4-mapped
(::ffff:a.b.c.d), NAT64 (64:ff9b::/96, RFC 6052), 6to4 (2002::/16) and
Teredo (2001::/32, server and client); so are AS112 and the other public
special-purpose blocks, which are simply public.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from postlint.model.record import NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from postlint.net import NetSettings

Category = Literal[
    "public", "private", "loopback", "link-local", "multicast", "reserved", "unspecified"
]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

_IPV4_TABLE: tuple[tuple[ipaddress.IPv4Network, Category], ...] = (
    (_V4("0.0.0.0/32"), "unspecified"),
    (_V4("127.0.0.0/8"), "loopback"),
    (_V4("169.254.0.0/16"), "link-local"),
    (_V4("224.0.0.0/4"), "multicast"),
    (_V4("10.0.0.0/8"), "private"),
    (_V4("172.16.0.0/12"), "private"),
    (_V4("192.168.0.0/16"), "private"),
    (_V4("100.64.0.0/10"), "private"),  # carrier-grade NAT, shared address space
    (_V4("0.0.0.0/8"), "reserved"),  # "this network"; Linux connects 0.x to itself
    (_V4("192.0.0.0/24"), "reserved"),  # IETF protocol assignments
    (_V4("192.0.2.0/24"), "reserved"),  # documentation
    (_V4("192.88.99.0/24"), "reserved"),  # 6to4 relay anycast (deprecated)
    (_V4("198.18.0.0/15"), "reserved"),  # benchmarking
    (_V4("198.51.100.0/24"), "reserved"),  # documentation
    (_V4("203.0.113.0/24"), "reserved"),  # documentation
    (_V4("240.0.0.0/4"), "reserved"),  # includes 255.255.255.255
)

_IPV6_TABLE: tuple[tuple[ipaddress.IPv6Network, Category], ...] = (
    (_V6("::/128"), "unspecified"),
    (_V6("::1/128"), "loopback"),
    (_V6("fe80::/10"), "link-local"),
    (_V6("ff00::/8"), "multicast"),
    (_V6("fc00::/7"), "private"),  # unique local
    (_V6("fec0::/10"), "private"),  # site-local (deprecated)
    (_V6("64:ff9b:1::/48"), "private"),  # local-use NAT64 (RFC 8215)
    (_V6("::/8"), "reserved"),  # includes IPv4-compatible ::a.b.c.d
    (_V6("100::/64"), "reserved"),  # discard-only
    (_V6("100:0:0:1::/64"), "reserved"),  # dummy IPv6 prefix (RFC 9780)
    (_V6("2001:2::/48"), "reserved"),  # benchmarking (RFC 5180)
    (_V6("2001::/23"), "reserved"),  # IETF protocol assignments (Teredo is judged by its IPv4s)
    (_V6("2001:db8::/32"), "reserved"),  # documentation
    (_V6("2001:10::/28"), "reserved"),  # ORCHID
    (_V6("2001:20::/28"), "reserved"),  # ORCHIDv2
    (_V6("3fff::/20"), "reserved"),  # documentation
    (_V6("5f00::/16"), "reserved"),  # SRv6 SIDs
)
_GLOBAL_UNICAST = _V6("2000::/3")
_NAT64 = _V6("64:ff9b::/96")


class GuardError(ValueError):
    """The host cannot be checked: not an IP address, or a malformed one."""


class ResolutionError(OSError):
    """DNS failure: the host name did not resolve."""


class Vetted(NamedTuple):
    """The outcome of vetting one host: where to connect, or why not to."""

    addresses: tuple[str, ...]  # connect to these, in order, never re-resolving
    refusal: str | None  # None: allowed


def _ipv4_number(part: str) -> int | None:
    """One dotted part as `inet_aton` and the WHATWG URL standard read it:
    0x.. hex, 0.. octal, else decimal. None if it is not a number."""
    if part[:2] in ("0x", "0X"):
        digits, base, allowed = part[2:], 16, "0123456789abcdefABCDEF"
    elif len(part) > 1 and part[0] == "0":
        digits, base, allowed = part[1:], 8, "01234567"
    else:
        digits, base, allowed = part, 10, "0123456789"
    if digits == "":
        return 0 if base != 10 else None
    if any(c not in allowed for c in digits):
        return None
    return int(digits, base)


def _ends_in_number(parts: list[str]) -> bool:
    last = parts[-1]
    if last and all(c in "0123456789" for c in last):
        return True
    return _ipv4_number(last) is not None and last[:2] in ("0x", "0X")


def parse_ipv4_spelling(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a host spelling such as `2130706433`, `0177.0.0.1`,
    `0x7f.1` or `127.1` stands for (WHATWG "ends in a number" rule, as browsers
    and `inet_aton` read it); None if the host is a name.

    Raises GuardError for a spelling that ends in a number but is not a valid
    address (`1.2.3.4.5`, `256.1.1.1`): browsers reject such URLs outright."""
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if not parts or not _ends_in_number(parts):
        return None
    if len(parts) > 4:
        raise GuardError(f"invalid IPv4 address: {host!r}")
    numbers: list[int] = []
    for part in parts:
        number = _ipv4_number(part)
        if number is None:
            raise GuardError(f"invalid IPv4 address: {host!r}")
        numbers.append(number)
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(parts)):
        raise GuardError(f"invalid IPv4 address: {host!r}")
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def parse_ip(host: str) -> IPAddress | None:
    """The IP address a URL host denotes, if it is an IP literal in any
    spelling ([::1], ::ffff:10.0.0.1, 127.0.0.1, 2130706433, 0x7f.1...); None
    if it is a host name."""
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text)
        except ValueError as exc:
            raise GuardError(f"invalid IPv6 address: {host!r}") from exc
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return parse_ipv4_spelling(text)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    return None


def _classify_ip(ip: IPAddress) -> Category:
    if isinstance(ip, ipaddress.IPv4Address):
        for network, category in _IPV4_TABLE:
            if ip in network:
                return category
        return "public"
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return _classify_ip(embedded)
    if ip.teredo is not None:
        server, client = ip.teredo
        for inner in (client, server):
            category = _classify_ip(inner)
            if category != "public":
                return category
        return "public"
    for network6, category in _IPV6_TABLE:
        if ip in network6:
            return category
    return "public" if ip in _GLOBAL_UNICAST else "reserved"


def classify(address: str) -> Category:
    """Classify an IP address literal, in any spelling a URL host may use.

    Never resolves or connects. Raises GuardError if `address` is not an IP
    address (a host name)."""
    ip = parse_ip(address)
    if ip is None:
        raise GuardError(f"not an IP address: {address!r}")
    return _classify_ip(ip)


def normalise_host(host: str) -> str:
    """Lower case, no brackets, no trailing dot: the form allow_hosts is matched in."""
    text = host.strip().lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if text.endswith(".") and len(text) > 1:
        text = text[:-1]
    return text


def ascii_host(host: str) -> str | None:
    """The host as sent on the wire, or None if it is not a valid name.

    IDNA 2008 with the UTS #46 mapping (non-transitional, as browsers do): a
    name written with look-alike characters (`ⓛⓞⓒⓐⓛⓗⓞⓢⓣ`, fullwidth
    `ｌｏｃａｌｈｏｓｔ`, `１２７．０．０．１`) becomes the name or address it stands
    for, before anything looks it up; an `xn--` label must be a valid A-label."""
    if host.isascii() and "xn--" not in host.lower():
        return host.lower()
    try:
        import idna

        return idna.encode(host, uts46=True).decode("ascii").lower()
    except Exception:  # noqa: BLE001 - idna raises several unrelated types
        return None


_HOSTNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def valid_hostname(name: str) -> bool:
    """Syntax only (underscores are tolerated: they occur in real DNS names)."""
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    return len(name) <= 253 and all(
        0 < len(label) <= 63 and set(label) <= _HOSTNAME_CHARS for label in labels
    )


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class AllowEntry(NamedTuple):
    """One `allow-hosts` entry: a host name or an IP network, and maybe a port."""

    name: str | None  # lower-case ASCII (IDNA) name, no trailing dot
    network: IPNetwork | None
    port: int | None  # None: every port


def _port(text: str, entry: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= 65535:
        raise ValueError(f"{entry!r}: the port must be a number from 1 to 65535")
    return int(text)


def parse_allow_entry(entry: str) -> AllowEntry:
    """Parse `name`, `name:port`, an IPv4 address or network (`10.0.0.0/8`)
    with an optional `:port`, an IPv6 address or network, bare or in brackets
    (`[fd00::/8]:8080` with a port). Raises ValueError, saying why, for an
    entry that could never match a URL's host."""
    text = entry.strip()
    if not text:
        raise ValueError(f"{entry!r}: empty")
    if "://" in text or any(c in text for c in "?#@\\") or any(c.isspace() for c in text):
        raise ValueError(f"{entry!r}: not a host; write the host name or address, and :port if needed")
    port: int | None = None
    if text.startswith("["):
        close = text.find("]")
        if close < 0:
            raise ValueError(f"{entry!r}: no closing ]")
        host, rest = text[1:close], text[close + 1:]
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"{entry!r}: only :port may follow ]")
            port = _port(rest[1:], entry)
        try:
            network6 = ipaddress.IPv6Network(host, strict=False)
        except ValueError:
            raise ValueError(f"{entry!r}: not an IPv6 address or network in brackets") from None
        return AllowEntry(None, network6, port)
    if text.count(":") >= 2:  # a bare IPv6 address: no port (write [addr]:port)
        try:
            return AllowEntry(None, ipaddress.IPv6Network(text, strict=False), None)
        except ValueError:
            raise ValueError(
                f"{entry!r}: not an IPv6 address or network (with a port: [address]:port)"
            ) from None
    host = text
    if ":" in text:
        host, _, port_text = text.partition(":")
        port = _port(port_text, entry)
    if "/" in host:
        try:
            return AllowEntry(None, ipaddress.IPv4Network(host, strict=False), port)
        except ValueError:
            raise ValueError(f"{entry!r}: not an IPv4 network such as 10.0.0.0/8") from None
    name = normalise_host(host)
    try:
        ip = parse_ip(name)
    except GuardError as exc:
        raise ValueError(f"{entry!r}: {exc}") from None
    if ip is not None:
        return AllowEntry(None, ipaddress.ip_network(ip), port)
    ascii_name = ascii_host(name)
    if ascii_name is None or not valid_hostname(ascii_name):
        raise ValueError(f"{entry!r}: not a valid host name")
    # A name that IDNA maps onto an address ("１２７.０.０.１") is that address.
    try:
        mapped = parse_ip(ascii_name)
    except GuardError as exc:
        raise ValueError(f"{entry!r}: {exc}") from None
    if mapped is not None:
        return AllowEntry(None, ipaddress.ip_network(mapped), port)
    return AllowEntry(ascii_name.rstrip(".") or ascii_name, None, port)


@lru_cache(maxsize=64)
def parse_allow_hosts(entries: tuple[str, ...]) -> tuple[AllowEntry, ...]:
    """Every entry parsed; raises ValueError for the first that can never match."""
    return tuple(parse_allow_entry(entry) for entry in entries)


def _usable_entries(entries: tuple[str, ...]) -> tuple[AllowEntry, ...]:
    try:
        return parse_allow_hosts(entries)
    except ValueError:  # the configuration check reports it; match the valid ones
        out = []
        for entry in entries:
            try:
                out.append(parse_allow_entry(entry))
            except ValueError:
                pass
        return tuple(out)


def is_allowed_host(host: str, allow_hosts: tuple[str, ...], port: int | None = None) -> bool:
    """Whether `host` as written in the URL (and `port`, the URL's port) is
    exempt from the guard.

    Names match names exactly (case-insensitive, after IDNA); IP or CIDR
    entries match IP literal hosts (in any spelling). An entry with a port
    matches that port only (and nothing when `port` is None). What a name
    resolves to is deliberately not matched: DNS answers are the attacker's
    to choose."""
    name = normalise_host(host)
    try:
        ip = parse_ip(name)
    except GuardError:
        return False
    if ip is None:
        wire = ascii_host(name)
        if wire is None:
            return False
        name = wire.rstrip(".") or wire
        try:
            ip = parse_ip(name)
        except GuardError:
            return False
    for entry in _usable_entries(tuple(allow_hosts)):
        if entry.port is not None and entry.port != port:
            continue
        if ip is None:
            if entry.name == name:
                return True
        elif entry.network is not None and ip.version == entry.network.version and ip in entry.network:
            return True
    return False


def _is_localhost_name(name: str) -> bool:
    # RFC 6761: localhost and *.localhost are loopback; never ask DNS about them.
    return name == "localhost" or name.endswith(".localhost")


def _resolve(name: str) -> tuple[str, ...]:
    if _is_localhost_name(name):
        return ("127.0.0.1", "::1")
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ResolutionError(f"DNS failure: {name}: {getattr(exc, 'strerror', None) or exc}") from exc
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ResolutionError(f"DNS failure: {name}: no addresses")
    return tuple(addresses)


def addresses_of(host: str) -> tuple[str, ...]:
    """Where `host` (an IP literal in any spelling, or an ASCII name) leads:
    the address itself, or what the name resolves to. Raises ResolutionError
    on DNS failure and GuardError on a malformed IP literal."""
    name = normalise_host(host)
    ip = parse_ip(name)
    if ip is not None:
        return (str(ip),)
    wire = ascii_host(name)  # the name IDNA / UTS 46 makes of it, before any look-up
    if wire is None or not valid_hostname(wire):
        raise GuardError(f"invalid host name: {host!r}")
    ip = parse_ip(wire)
    if ip is not None:
        return (str(ip),)
    return _resolve(normalise_host(wire))


def refusal(
    host: str, addresses: tuple[str, ...], settings: NetSettings, port: int | None = None
) -> str | None:
    """Why postlint may not connect to `host`:`port` at `addresses`, or None."""
    name = normalise_host(host)
    if settings.allow_private or is_allowed_host(name, settings.allow_hosts, port):
        return None
    wire = ascii_host(name)
    literal = parse_ip(name) is not None or (wire is not None and parse_ip(wire) is not None)
    for address in addresses:
        category = _classify_ip(ipaddress.ip_address(address))
        if category != "public":
            if literal:
                return f"{host} is a {category} address"
            return f"{host} resolves to {address}, a {category} address"
    return None


def vet(host: str, settings: NetSettings, port: int | None = None) -> Vetted:
    """Resolve `host` (unless it is an IP literal) and decide whether postlint
    may connect to it (on `port`: allow-hosts entries may name one). Raises
    ResolutionError on DNS failure and GuardError on a malformed IP literal."""
    addresses = addresses_of(host)
    return Vetted(addresses, refusal(host, addresses, settings, port))


def check_host(host: str, settings: NetSettings, port: int | None = None) -> str | None:
    """The reason to refuse `host` (URL005), or None if requests may go to it.

    Raises ResolutionError when the name does not resolve."""
    return vet(host, settings, port).refusal
