//! The address guard: which IP addresses the crawler may connect to, and the DNS resolver
//! that enforces it.
//!
//! A crawled page chooses the next URL, so without a guard a hostile page (or a DNS name that
//! resolves to 10.0.0.1) could steer the crawler into the evaluator's own network or a cloud
//! metadata service. Loopback, private, link-local, unique-local, unspecified, multicast and
//! other non-public ranges are refused — including their IPv4-mapped and NAT64 IPv6 forms —
//! for literal IPs in URLs, for every DNS answer and for every redirect hop. `--allow-net CIDR`
//! opens one range, `--allow-private` opens them all (tests and the demo serve on 127.0.0.1).
//! `--resolve HOST:PORT:ADDR` maps a name to an address as curl does, so tests can serve
//! real-looking `*.gov.cn` names from loopback; those answers pass the same guard.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Which addresses may be contacted.
#[derive(Debug, Clone, Default)]
pub struct AddressPolicy {
    allow_private: bool,
    allowed: Vec<IpNet>,
}

/// Why an address was refused, e.g. "10.0.0.1 is a private address".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{ip} is a {class} address; refused (allow it with --allow-net or --allow-private)")]
pub struct Refused {
    /// The address refused, as found (an IPv4-mapped form is shown as such).
    pub ip: IpAddr,
    /// The kind of range it is in, e.g. `private` or `loopback`.
    pub class: &'static str,
}

impl AddressPolicy {
    /// `allow_private` opens every non-public range (`--allow-private`); `allowed` opens
    /// only the ranges given (`--allow-net`).
    pub fn new(allow_private: bool, allowed: Vec<IpNet>) -> Self {
        Self {
            allow_private,
            allowed,
        }
    }

    /// `Ok` when the crawler may connect to `ip`.
    pub fn check(&self, ip: IpAddr) -> Result<(), Refused> {
        let Some(class) = non_public_class(ip) else {
            return Ok(());
        };
        if self.allow_private
            || self
                .allowed
                .iter()
                .any(|net| net.contains(&ip) || net.contains(&canonical(ip)))
        {
            return Ok(());
        }
        Err(Refused { ip, class })
    }
}

/// The IPv4 address an IPv6 address carries and is delivered to: IPv4-mapped
/// (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`), 6to4 (`2002:aabb:ccdd::/48`, RFC 3056) and
/// Teredo (`2001:0::/32`, the client's address stored inverted, RFC 4380); else the address
/// itself. A relay would carry a packet for `2002:7f00:1::` to 127.0.0.1.
fn canonical(ip: IpAddr) -> IpAddr {
    let v4 = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    };
    match ip {
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let s = v6.segments();
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                return v4(s[6], s[7]);
            }
            if s[0] == 0x2002 {
                return v4(s[1], s[2]);
            }
            if s[0] == 0x2001 && s[1] == 0 {
                return v4(!s[6], !s[7]);
            }
            ip
        }
        IpAddr::V4(_) => ip,
    }
}

/// The kind of non-public address `ip` is, or `None` for a public address.
pub fn non_public_class(ip: IpAddr) -> Option<&'static str> {
    match canonical(ip) {
        IpAddr::V4(v4) => v4_class(v4),
        IpAddr::V6(v6) => v6_class(v6),
    }
}

fn v4_class(ip: Ipv4Addr) -> Option<&'static str> {
    let o = ip.octets();
    Some(if ip.is_loopback() {
        "loopback"
    } else if ip.is_private() {
        "private"
    } else if ip.is_link_local() {
        "link-local"
    } else if ip.is_unspecified() || o[0] == 0 {
        "unspecified"
    } else if ip.is_multicast() {
        "multicast"
    } else if ip.is_broadcast() || o[0] >= 240 {
        "reserved"
    } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
        "shared (carrier-grade NAT)"
    } else if (o[0], o[1], o[2]) == (192, 0, 0)
        || (o[0], o[1], o[2]) == (192, 0, 2)
        || (o[0], o[1], o[2]) == (198, 51, 100)
        || (o[0], o[1], o[2]) == (203, 0, 113)
        || (o[0] == 198 && (o[1] & 0xfe) == 18)
    {
        "reserved"
    } else {
        return None;
    })
}

fn v6_class(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    Some(if ip.is_loopback() {
        "loopback"
    } else if ip.is_unspecified() {
        "unspecified"
    } else if ip.is_multicast() {
        "multicast"
    } else if (s[0] & 0xffc0) == 0xfe80 {
        "link-local"
    } else if (s[0] & 0xfe00) == 0xfc00 {
        "unique-local"
    } else if (s[0] & 0xffc0) == 0xfec0 {
        "site-local"
    } else if s[0] == 0x2001 && s[1] == 0x0db8 {
        "reserved"
    } else if s[..6] == [0, 0, 0, 0, 0, 0] {
        // IPv4-compatible (::a.b.c.d), deprecated and never public.
        "reserved"
    } else {
        return None;
    })
}

/// A `--resolve HOST:PORT:ADDR` override.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameOverride {
    /// The host name, lower-cased, without a trailing dot.
    pub host: String,
    /// The port as written: recorded with the options, but the override serves every port.
    pub port: u16,
    /// The address the name resolves to; the guard still checks it.
    pub addr: IpAddr,
}

impl FromStr for NameOverride {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let usage =
            || format!("`{s}` is not HOST:PORT:ADDR (e.g. www.example.gov.cn:8080:127.0.0.1)");
        let (host, rest) = s.split_once(':').ok_or_else(usage)?;
        let (port, addr) = rest.split_once(':').ok_or_else(usage)?;
        let port: u16 = port
            .parse()
            .map_err(|_| format!("`{port}` in `{s}` is not a port number"))?;
        let addr = addr.trim_start_matches('[').trim_end_matches(']');
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{addr}` in `{s}` is not an IP address"))?;
        if host.is_empty() {
            return Err(usage());
        }
        Ok(Self {
            host: host.trim_end_matches('.').to_ascii_lowercase(),
            port,
            addr,
        })
    }
}

/// Why a name could not be turned into an address the crawler may use.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The system resolver failed.
    #[error("DNS lookup of {host} failed: {source}")]
    Lookup {
        /// The name looked up, lower-cased, without a trailing dot.
        host: String,
        /// The resolver's error.
        #[source]
        source: std::io::Error,
    },
    /// The lookup succeeded but gave no address.
    #[error("DNS lookup of {host} found no addresses")]
    NoAddresses {
        /// The name looked up, lower-cased, without a trailing dot.
        host: String,
    },
    /// Every address found was refused by the policy; logged as `refused`, not `dns`.
    #[error("{host} resolves only to refused addresses: {refused}")]
    Refused {
        /// The name looked up, lower-cased, without a trailing dot.
        host: String,
        /// Each address found, with why it was refused.
        refused: RefusedList,
    },
}

/// The refusals of every address a name resolved to.
#[derive(Debug)]
pub struct RefusedList(pub Vec<Refused>);

impl fmt::Display for RefusedList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}

/// The resolver reqwest uses: overrides first, then the system resolver, every answer
/// filtered by the policy.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    policy: Arc<AddressPolicy>,
    overrides: Arc<HashMap<String, Vec<IpAddr>>>,
}

impl GuardedResolver {
    /// A resolver with `--resolve` overrides; a host given several times gets every address,
    /// in the order given.
    pub fn new(policy: Arc<AddressPolicy>, overrides: &[NameOverride]) -> Self {
        let mut map: HashMap<String, Vec<IpAddr>> = HashMap::new();
        for o in overrides {
            let addrs = map.entry(o.host.clone()).or_default();
            if !addrs.contains(&o.addr) {
                addrs.push(o.addr);
            }
        }
        Self {
            policy,
            overrides: Arc::new(map),
        }
    }

    /// Resolves `host` to the addresses the policy allows.
    pub async fn lookup(&self, host: &str) -> Result<Vec<IpAddr>, ResolveError> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let found: Vec<IpAddr> = match self.overrides.get(&host) {
            Some(addrs) => addrs.clone(),
            None => tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|source| ResolveError::Lookup {
                    host: host.clone(),
                    source,
                })?
                .map(|sa| sa.ip())
                .collect(),
        };
        if found.is_empty() {
            return Err(ResolveError::NoAddresses { host });
        }
        let mut allowed = Vec::with_capacity(found.len());
        let mut refused = Vec::new();
        for ip in found {
            match self.policy.check(ip) {
                Ok(()) => allowed.push(ip),
                Err(r) => refused.push(r),
            }
        }
        if allowed.is_empty() {
            return Err(ResolveError::Refused {
                host,
                refused: RefusedList(refused),
            });
        }
        Ok(allowed)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let this = self.clone();
        Box::pin(async move {
            let ips = this.lookup(name.as_str()).await?;
            // The port is replaced by the URL's own when connecting.
            let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn classifies_non_public_ranges() {
        for (addr, class) in [
            ("127.0.0.1", "loopback"),
            ("10.0.0.1", "private"),
            ("172.16.5.4", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("0.0.0.0", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("255.255.255.255", "reserved"),
            ("100.64.0.1", "shared (carrier-grade NAT)"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fe80::1", "link-local"),
            ("fc00::1", "unique-local"),
            ("fd12:3456::1", "unique-local"),
            ("ff02::1", "multicast"),
            ("::ffff:10.0.0.1", "private"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:169.254.169.254", "link-local"),
            ("64:ff9b::a9fe:a9fe", "link-local"),
            ("2002:7f00:1::1", "loopback"),
            ("2002:a9fe:a9fe::", "link-local"),
            ("2002:c0a8:101::1", "private"),
            // Teredo: client 10.0.0.1 stored inverted.
            ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "private"),
        ] {
            assert_eq!(non_public_class(ip(addr)), Some(class), "{addr}");
        }
        for public in [
            "1.1.1.1",
            "220.181.38.148",
            "2400:3200::1",
            "::ffff:8.8.8.8",
            "2002:808:808::1",
        ] {
            assert_eq!(non_public_class(ip(public)), None, "{public}");
        }
    }

    #[test]
    fn allow_net_opens_one_range_and_allow_private_all() {
        let policy = AddressPolicy::new(false, vec!["127.0.0.0/8".parse().unwrap()]);
        assert!(policy.check(ip("127.0.0.1")).is_ok());
        assert!(policy.check(ip("::ffff:127.0.0.1")).is_ok());
        let err = policy.check(ip("10.0.0.1")).unwrap_err();
        assert_eq!(err.class, "private");
        assert!(
            err.to_string()
                .starts_with("10.0.0.1 is a private address; refused")
        );
        assert!(policy.check(ip("169.254.169.254")).is_err());
        assert!(policy.check(ip("8.8.8.8")).is_ok());
        let open = AddressPolicy::new(true, vec![]);
        assert!(open.check(ip("10.0.0.1")).is_ok());
    }

    #[test]
    fn parses_resolve_overrides() {
        let o: NameOverride = "WWW.Example-City.gov.cn:8080:127.0.0.1".parse().unwrap();
        assert_eq!(
            (o.host.as_str(), o.port, o.addr),
            ("www.example-city.gov.cn", 8080, ip("127.0.0.1"))
        );
        let o: NameOverride = "a.gov.cn:443:[::1]".parse().unwrap();
        assert_eq!(o.addr, ip("::1"));
        assert!("a.gov.cn:80".parse::<NameOverride>().is_err());
        assert!(
            "a.gov.cn:http:127.0.0.1"
                .parse::<NameOverride>()
                .unwrap_err()
                .contains("not a port")
        );
        assert!(
            "a.gov.cn:80:localhost"
                .parse::<NameOverride>()
                .unwrap_err()
                .contains("not an IP")
        );
    }

    #[tokio::test]
    async fn overrides_pass_through_the_guard() {
        let overrides = [
            "www.example-city.gov.cn:80:127.0.0.1".parse().unwrap(),
            "evil.example-city.gov.cn:80:10.0.0.1".parse().unwrap(),
        ];
        let policy = Arc::new(AddressPolicy::new(
            false,
            vec!["127.0.0.0/8".parse().unwrap()],
        ));
        let resolver = GuardedResolver::new(policy, &overrides);
        assert_eq!(
            resolver.lookup("www.example-city.gov.cn").await.unwrap(),
            [ip("127.0.0.1")]
        );
        let err = resolver
            .lookup("evil.example-city.gov.cn")
            .await
            .unwrap_err();
        assert!(matches!(err, ResolveError::Refused { .. }), "{err}");
        assert!(err.to_string().contains("10.0.0.1 is a private address"));
    }
}
