"""Tier 5: the certificates of a mutual-TLS Dask cluster (render.py cluster-certs)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import stat

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

import render
from series.certs import CA_DAYS, LEAF_DAYS, CertificateError, make_cluster_certificates


def load(path):
    return x509.load_pem_x509_certificate(path.read_bytes())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("c") / "certs"
    return make_cluster_certificates(folder, "10.0.0.1", ["10.0.0.2", "render-3.lab"])


def test_files_and_permissions(cluster):
    names = sorted(p.name for p in cluster.folder.iterdir())
    assert names == sorted(
        [
            "ca.pem",
            "ca-key.pem",
            "scheduler.pem",
            "scheduler-key.pem",
            "client.pem",
            "client-key.pem",
            "worker-10.0.0.2.pem",
            "worker-10.0.0.2-key.pem",
            "worker-render-3.lab.pem",
            "worker-render-3.lab-key.pem",
        ]
    )
    assert stat.S_IMODE(cluster.folder.stat().st_mode) == 0o700
    for path in cluster.folder.glob("*-key.pem"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_ca_signs_each_certificate_with_sensible_extensions(cluster):
    ca = load(cluster.ca)
    constraints = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert constraints.value.ca
    assert constraints.value.path_length == 0
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    days = (ca.not_valid_after_utc - ca.not_valid_before_utc) / dt.timedelta(days=1)
    assert days == pytest.approx(CA_DAYS, abs=0.01)

    def check(path, sans, server):
        cert = load(path)
        cert.verify_directly_issued_by(ca)
        assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
        assert usage.critical
        assert usage.value.digital_signature
        assert not usage.value.key_cert_sign
        eku = set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
        expected = {ExtendedKeyUsageOID.CLIENT_AUTH}
        if server:
            expected.add(ExtendedKeyUsageOID.SERVER_AUTH)
        assert eku == expected
        lifetime = (cert.not_valid_after_utc - cert.not_valid_before_utc) / dt.timedelta(days=1)
        assert lifetime == pytest.approx(LEAF_DAYS, abs=0.01)
        if sans is None:
            with pytest.raises(x509.ExtensionNotFound):
                cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        else:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            assert (
                san.get_values_for_type(x509.IPAddress) + san.get_values_for_type(x509.DNSName)
                == sans
            )

    check(cluster.scheduler[0], [ipaddress.ip_address("10.0.0.1")], server=True)
    check(cluster.workers["10.0.0.2"][0], [ipaddress.ip_address("10.0.0.2")], server=True)
    check(cluster.workers["render-3.lab"][0], ["render-3.lab"], server=True)
    check(cluster.client[0], None, server=False)


def test_bad_requests_are_clear_errors(tmp_path, cluster):
    with pytest.raises(CertificateError, match="'bad host!' is neither an IP address nor a DNS"):
        make_cluster_certificates(tmp_path / "a", "bad host!", ["10.0.0.2"])
    with pytest.raises(CertificateError, match="no worker host"):
        make_cluster_certificates(tmp_path / "b", "10.0.0.1", [])
    with pytest.raises(CertificateError, match="worker hosts repeat"):
        make_cluster_certificates(tmp_path / "c", "10.0.0.1", ["w", "w"])
    with pytest.raises(CertificateError, match="validity 0 days"):
        make_cluster_certificates(tmp_path / "d", "10.0.0.1", ["w"], days=0)
    with pytest.raises(CertificateError, match="already holds .*ca.pem"):
        make_cluster_certificates(cluster.folder, "10.0.0.1", ["10.0.0.2"])


def test_cluster_certs_command(tmp_path, capsys):
    folder = tmp_path / "certs"
    args = ["cluster-certs", str(folder), "--scheduler", "127.0.0.1", "--workers", "127.0.0.1"]
    assert render.main([*args, "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "client (render.py)" in out
    assert str(folder / "client-key.pem") in out
    lifetime = load(folder / "client.pem")
    assert (lifetime.not_valid_after_utc - lifetime.not_valid_before_utc).days == 30
    assert render.main(args) == 2
    assert "already holds" in capsys.readouterr().err


def test_render_tls_options_are_checked_before_connecting(tmp_path, capsys):
    base = ["render", "01", "-q", "l"]
    cases = [
        (["--scheduler", "tcp://127.0.0.1:9", "--tls", str(tmp_path)], "need a tls:// scheduler"),
        (["--scheduler", "tls://127.0.0.1:9", "--tls", str(tmp_path)], "no TLS file"),
        (["--scheduler", "tls://127.0.0.1:9", "--tls-ca", str(tmp_path)], "go together"),
        (
            ["--scheduler", "tls://127.0.0.1:9", "--tls", "x", "--tls-ca", "y"],
            "either --tls DIR or",
        ),
        (["--scheduler", "tls://127.0.0.1:9"], "needs the client's certificate"),
    ]
    for extra, message in cases:
        assert render.main([*base, *extra]) == 2, extra
        assert message in capsys.readouterr().err, extra
