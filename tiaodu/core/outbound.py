"""Outbound requests the platform makes to addresses users typed (group-robot webhooks): never to this
machine or the internal network unless an operator allows it, and never following redirects.

An address is refused when any address its host resolves to is loopback, private (10/8, 172.16/12,
192.168/16, fc00::/7), link-local (169.254/16 — cloud metadata — and fe80::/10), shared (100.64/10),
multicast, reserved or unspecified — unless the host name, or the address, or a network containing it,
is in the allow-list (setting NOTIFY_WEBHOOK_ALLOW: names, addresses or CIDR networks).
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable


class OutboundRefused(ValueError):
    """The address may not be called; the message (Chinese) says why."""


def _allowed(host: str, address: ipaddress._BaseAddress, allow: Iterable[str]) -> bool:
    for entry in allow:
        entry = entry.strip()
        if not entry:
            continue
        if entry.lower() == host.lower():
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _addresses(host: str, port: int) -> list[ipaddress._BaseAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise OutboundRefused(f"无法解析地址「{host}」")
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _literal(host: str) -> list[ipaddress._BaseAddress] | None:
    """The address of an IP literal or a localhost name, without asking DNS; None for other names."""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return [ipaddress.ip_address("127.0.0.1")]
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        return None


def check_url(url: str, *, allow: Iterable[str] = (), resolve: bool = True) -> None:
    """Refuse (OutboundRefused) a URL that is not http(s) or that points at an internal address.

    resolve=False (when an address is saved, perhaps on a machine without DNS) checks IP literals and
    localhost names only; the check before each request resolves the name."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise OutboundRefused("地址格式不正确")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise OutboundRefused("地址须以 http:// 或 https:// 开头并包含主机名")
    allow = list(allow)
    addresses = _literal(parts.hostname)
    if addresses is None:
        addresses = _addresses(parts.hostname, port) if resolve else []
    for address in addresses:
        if address.is_global and not address.is_multicast:
            continue
        if not _allowed(parts.hostname, address, allow):
            raise OutboundRefused(
                f"不允许向内部网络地址发送（{parts.hostname} → {address}）；如确需使用，请由管理员在 "
                "NOTIFY_WEBHOOK_ALLOW 中列出"
            )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"不跟随重定向（{code}）", headers, fp)


_OPENER = urllib.request.build_opener(_NoRedirect)


def open_checked(request: urllib.request.Request, *, timeout: float, allow: Iterable[str] = ()):
    """urlopen after check_url, without following redirects (a 3xx answer is an HTTPError)."""
    check_url(request.full_url, allow=allow)
    return _OPENER.open(request, timeout=timeout)
