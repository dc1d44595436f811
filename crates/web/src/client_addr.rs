//! The address of the person's machine, as the audit trail and the
//! sign-in limits need it. Behind a reverse proxy every connection comes
//! from the proxy; only a proxy the operator named may say, in
//! `X-Forwarded-For`, whom it forwards. Anyone else's header is ignored,
//! so a client cannot pick the address it is recorded under.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use crate::state::AppState;

/// Addresses or networks (`10.0.0.5`, `10.0.0.0/24`, `::1`) of the
/// reverse proxies in front of the service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustedProxies(Vec<IpNet>);

impl std::str::FromStr for TrustedProxies {
    type Err = String;

    /// A comma-separated list; an empty one trusts no proxy.
    fn from_str(list: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = match item.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => item
                    .parse::<IpAddr>()
                    .map(IpNet::from)
                    .map_err(|_| format!("'{item}' is not an IP address or a network such as 10.0.0.0/24"))?,
            };
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`: the peer itself unless it is a trusted
    /// proxy, and then the nearest address in `X-Forwarded-For` that is not
    /// one (proxies append, so the entries further left are the client's
    /// own word).
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer.to_canonical();
        }
        let mut client = peer.to_canonical();
        let hops = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        let hops: Vec<&str> = hops.flat_map(|v| v.split(',')).map(str::trim).collect();
        for hop in hops.iter().rev() {
            // Some proxies write a port too: 1.2.3.4:5678, [2001:db8::1]:443.
            let parsed = hop.parse::<IpAddr>().or_else(|_| hop.parse::<std::net::SocketAddr>().map(|a| a.ip()));
            match parsed {
                Ok(ip) if self.trusts(ip) => client = ip.to_canonical(),
                Ok(ip) => return ip.to_canonical(),
                // A hop we cannot read: stop at the last address we can vouch for.
                Err(_) => return client,
            }
        }
        client
    }
}

/// The client's address, resolved once per request.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// Puts the resolved [`ClientAddr`] into the request for the audit trail
/// and the sign-in limits.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if let Some(peer) = peer {
        let client = state.config.trusted_proxies.client(peer, req.headers());
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", v.parse().unwrap());
        }
        headers
    }

    #[test]
    fn only_a_named_proxy_may_name_the_client() {
        let proxies: TrustedProxies = "10.0.0.0/24, ::1".parse().unwrap();
        let headers = forwarded(&["198.51.100.7"]);
        assert_eq!(proxies.client("10.0.0.5".parse().unwrap(), &headers).to_string(), "198.51.100.7");
        assert_eq!(proxies.client("::1".parse().unwrap(), &headers).to_string(), "198.51.100.7");
        // Anyone else's header is their own claim.
        assert_eq!(proxies.client("203.0.113.9".parse().unwrap(), &headers).to_string(), "203.0.113.9");
        assert_eq!(TrustedProxies::default().client("10.0.0.5".parse().unwrap(), &headers).to_string(), "10.0.0.5");
    }

    #[test]
    fn a_client_cannot_choose_its_address_through_the_proxy() {
        let proxies: TrustedProxies = "10.0.0.1,10.0.0.2".parse().unwrap();
        // The client sent "1.2.3.4" itself; the proxies appended what they saw.
        let headers = forwarded(&["1.2.3.4, 198.51.100.7", "10.0.0.1"]);
        assert_eq!(proxies.client("10.0.0.2".parse().unwrap(), &headers).to_string(), "198.51.100.7");
        let garbled = forwarded(&["1.2.3.4, not-an-address"]);
        assert_eq!(proxies.client("10.0.0.2".parse().unwrap(), &garbled).to_string(), "10.0.0.2");
        let with_ports = forwarded(&["198.51.100.7:5678", "[2001:db8::1]:443"]);
        assert_eq!(proxies.client("10.0.0.2".parse().unwrap(), &with_ports).to_string(), "2001:db8::1");
        let mapped: TrustedProxies = "127.0.0.1".parse().unwrap();
        assert_eq!(
            mapped.client("::ffff:127.0.0.1".parse().unwrap(), &forwarded(&["192.0.2.1"])).to_string(),
            "192.0.2.1"
        );
    }

    #[test]
    fn a_wrong_list_names_the_wrong_item() {
        let err = "10.0.0.1, proxy.local".parse::<TrustedProxies>().unwrap_err();
        assert!(err.contains("'proxy.local'"), "{err}");
        assert_eq!("".parse::<TrustedProxies>().unwrap(), TrustedProxies::default());
    }
}
