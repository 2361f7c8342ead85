"""The webhook SSRF guard: IPv6 forms of private IPv4 addresses, and DNS rebinding.

A delivery resolves the host once, checks every address, and connects to a checked one; the
Host header, TLS SNI and certificate check keep the URL's name.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations import urlsafety
from integrations.models import WebhookDelivery
from integrations.urlsafety import private_target_error

from .test_webhooks import Receiver, _in_process_retries, _subscribe  # noqa: F401

pytestmark = pytest.mark.django_db

PUBLIC_IP = "93.184.216.34"  # a global address; these tests never really connect to it


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def guard_on(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False


REFUSED = [
    "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/latest/meta-data",  # NAT64 of 169.254.169.254
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://[64:ff9b:1::a00:1]/",  # local-use NAT64 prefix (RFC 8215)
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2002:c0a8:101::1]/",  # 6to4 of 192.168.1.1
    "http://[::127.0.0.1]/",  # IPv4-compatible (deprecated) 127.0.0.1
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:7f00:1]/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[fe80::1%25eth0]/",
    "http://[fd00::1]/",
    "http://224.0.0.1/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_private_addresses_in_every_form_are_refused(guard_on, url):
    assert "private" in private_target_error(url, resolve=False)


@pytest.mark.parametrize(
    "url",
    [
        "https://[2606:4700:4700::1111]/hook",
        "https://[64:ff9b::808:808]/hook",  # NAT64 of a public address (DNS64 networks)
        "https://8.8.8.8/hook",
        "https://hooks.example.com/x",  # a name: resolved at delivery
    ],
)
def test_public_addresses_pass(guard_on, url):
    assert private_target_error(url, resolve=False) == ""


@pytest.mark.parametrize("url", ["http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::]/"])
def test_the_api_refuses_a_subscription_to_a_translated_private_address(
    recruiter_api, guard_on, url
):
    refused = recruiter_api.post(
        "/api/v1/webhooks/", {"url": url, "events": ["candidate.created"]}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["url"]


class FakeDns:
    """getaddrinfo answering from a list, one answer per call (the last one repeats)."""

    def __init__(self, monkeypatch, *answers: str) -> None:
        self.answers = list(answers)
        self.lookups: list[str] = []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host in ("127.0.0.1", "::1") or not str(host).endswith(".example"):
                return real(host, port, *args, **kwargs)
            self.lookups.append(host)
            address = self.answers[min(len(self.lookups), len(self.answers)) - 1]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port or 0, 0, 0) if family == socket.AF_INET6 else (address, port)
            return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_resolving_to_a_translated_loopback_is_refused_at_delivery(
    recruiter_api, settings, monkeypatch, django_capture_on_commit_callbacks
):
    _subscribe(recruiter_api, "http://nat64.example/hooks", ["candidate.created"])
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    FakeDns(monkeypatch, "64:ff9b::7f00:1")
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Grace Hopper"}, format="json")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"  # not retried: waiting does not make it allowed
    assert "private" in delivery.last_error and "64:ff9b::7f00:1" in delivery.last_error


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(
    recruiter_api, receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """DNS rebinding: the first answer is public, every later one is 127.0.0.1."""
    port = receiver.server.server_port
    _subscribe(recruiter_api, f"http://rebind.example:{port}/hooks", ["candidate.created"])
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    dns = FakeDns(monkeypatch, PUBLIC_IP, "127.0.0.1")
    connected: list[tuple] = []
    real_connect = socket.create_connection

    def create_connection(address, *args, **kwargs):
        connected.append(tuple(address))
        if address[0] == PUBLIC_IP:  # "the public host": our receiver stands in for it
            return real_connect(("127.0.0.1", port), *args, **kwargs)
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Grace Hopper"}, format="json")
    assert dns.lookups == ["rebind.example"]  # one lookup, checked
    assert connected == [(PUBLIC_IP, port)]  # and the connection went to what was checked
    assert WebhookDelivery.objects.get().status == "delivered"
    assert receiver.requests[0]["headers"]["Host"] == f"rebind.example:{port}"


# --- TLS: pinned to the address, verified against the name ---------------------------------


def _certificates(tmp_path, name: str) -> tuple[str, str, str]:
    """(CA file, server cert file, server key file): a test CA and a cert for `name`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SmartHR test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    files = (tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem")
    files[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return tuple(str(f) for f in files)  # type: ignore[return-value]


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch) -> Iterator[dict]:
    ca_file, cert_file, key_file = _certificates(tmp_path, "hooks.example")
    seen: dict = {"sni": [], "hosts": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen["hosts"].append(self.headers["Host"])
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def trusting_test_ca() -> ssl.SSLContext:
        return ssl.create_default_context(cafile=ca_file)

    monkeypatch.setattr(urlsafety, "tls_context", trusting_test_ca)
    seen["port"] = server.server_port
    yield seen
    server.shutdown()
    server.server_close()


def test_https_keeps_sni_and_certificate_checks_for_the_name(
    recruiter_api, tls_receiver, settings, monkeypatch, django_capture_on_commit_callbacks
):
    port = tls_receiver["port"]
    _subscribe(recruiter_api, f"https://hooks.example:{port}/in", ["candidate.created"])
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    dns = FakeDns(monkeypatch, PUBLIC_IP, "127.0.0.1")
    real_connect = socket.create_connection
    connected: list[tuple] = []

    def create_connection(address, *args, **kwargs):
        connected.append(tuple(address))
        target = ("127.0.0.1", port) if address[0] == PUBLIC_IP else address
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Grace Hopper"}, format="json")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered", delivery.last_error
    assert dns.lookups == ["hooks.example"] and connected == [(PUBLIC_IP, port)]
    assert tls_receiver["sni"] == ["hooks.example"]
    assert tls_receiver["hosts"] == [f"hooks.example:{port}"]


def test_https_to_a_name_the_certificate_does_not_cover_fails(
    recruiter_api, tls_receiver, monkeypatch, django_capture_on_commit_callbacks
):
    port = tls_receiver["port"]
    _subscribe(recruiter_api, f"https://other.example:{port}/in", ["candidate.created"])
    FakeDns(monkeypatch, "127.0.0.1")
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Grace Hopper"}, format="json")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status != "delivered"
    assert "certificate" in delivery.last_error.lower()
    assert tls_receiver["hosts"] == []


# --- what goes on the wire, and what is worth another try ---------------------------------


def test_a_url_with_accents_in_its_path_is_sent_percent_encoded(
    recruiter_api, django_capture_on_commit_callbacks
):
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            paths.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/hooks/café?a=1"
        _subscribe(recruiter_api, url, ["candidate.created"])
        with django_capture_on_commit_callbacks(execute=True):
            recruiter_api.post("/api/v1/candidates/", {"full_name": "Grace Hopper"}, format="json")
    finally:
        server.shutdown()
        server.server_close()
    assert WebhookDelivery.objects.get().status == "delivered"
    assert paths == ["/hooks/caf%C3%A9?a=1"]


def test_a_dns_failure_is_retried_not_given_up(
    recruiter_api, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from integrations.webhooks import MAX_ATTEMPTS

    _subscribe(recruiter_api, "https://flaky-dns.example/hooks", ["candidate.created"])
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False

    def no_answer(*args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_answer)
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_api.post("/api/v1/candidates/", {"full_name": "Grace Hopper"}, format="json")
    delivery = WebhookDelivery.objects.get()
    # In-process retries run at once: every attempt was made, as a worker would with backoff.
    assert delivery.attempts == MAX_ATTEMPTS
    assert "cannot resolve" in delivery.last_error
