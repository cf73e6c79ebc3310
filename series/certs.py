"""Certificates for a Dask cluster that lets no one else in (mutual TLS).

:func:`make_cluster_certificates` writes, with the ``cryptography`` library, a
private certificate authority for one cluster and, signed by it, a certificate
and key for the scheduler, for each worker machine and for the client
(``render.py``). Dask's TLS (``tls://`` addresses) then requires every
connection, in both directions, to show a certificate of that CA: a machine
without one is refused before it can send a task.

Files written into the directory (keys readable by their owner only)::

    ca.pem, ca-key.pem                     the authority (keep ca-key.pem off the cluster)
    scheduler.pem, scheduler-key.pem       for ``dask scheduler``
    worker-<host>.pem, worker-<host>-key.pem   one pair per worker machine
    client.pem, client-key.pem             for ``render.py render --scheduler tls://...``
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CA_DAYS = 825
"""Validity of the authority, days (about two years and three months)."""

LEAF_DAYS = 397
"""Validity of each machine's certificate, days (the CA/Browser Forum's maximum)."""

_HOST = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$"
)


class CertificateError(ValueError):
    """A host name that cannot go into a certificate, or files that would be overwritten."""


@dataclass(frozen=True)
class ClusterFiles:
    """Paths of one cluster's certificates (see the module docstring).

    Attributes
    ----------
    folder : Path
        Where they are.
    ca : Path
        The authority's certificate: every machine needs it.
    scheduler, client : tuple of (Path, Path)
        Certificate and key.
    workers : dict of str to (Path, Path)
        Certificate and key per worker host.
    """

    folder: Path
    ca: Path
    scheduler: tuple[Path, Path]
    client: tuple[Path, Path]
    workers: dict[str, tuple[Path, Path]]


def check_host(host: str) -> str:
    """Return ``host`` if it is an IP address or a DNS name.

    Raises
    ------
    CertificateError
        Naming the host and what was expected.

    Examples
    --------
    >>> check_host("10.0.0.2"), check_host("render-1.lab")
    ('10.0.0.2', 'render-1.lab')
    """
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if not _HOST.match(host):
        raise CertificateError(
            f"host {host!r} is neither an IP address nor a DNS name (letters, digits, '-', '.')"
        )
    return host


def _san(hosts: Sequence[str]):
    from cryptography import x509

    names = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return x509.SubjectAlternativeName(names)


def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "render.py cluster"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write_key(path: Path, key) -> None:
    from cryptography.hazmat.primitives import serialization

    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _write_cert(path: Path, cert) -> None:
    from cryptography.hazmat.primitives import serialization

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


def _issue(ca_cert, ca_key, common_name: str, hosts: Sequence[str], server: bool, days: int, now):
    """Return a new key and its certificate, signed by the CA, for one machine or the client."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    key = ec.generate_private_key(ec.SECP256R1())
    usages = [ExtendedKeyUsageOID.CLIENT_AUTH]
    if server:
        # Schedulers and workers both listen and connect: Dask's comms are two-way.
        usages.insert(0, ExtendedKeyUsageOID.SERVER_AUTH)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=True,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
    )
    if hosts:
        builder = builder.add_extension(_san(hosts), critical=False)
    return key, builder.sign(ca_key, hashes.SHA256())


def make_cluster_certificates(
    folder: Path,
    scheduler: str,
    workers: Sequence[str],
    days: int = LEAF_DAYS,
    ca_days: int = CA_DAYS,
) -> ClusterFiles:
    """Write a CA and the certificates of one small Dask cluster into ``folder``.

    Keys are ECDSA P-256, certificates SHA-256-signed X.509 v3. The CA may
    sign only end-entity certificates (``pathlen 0``); the scheduler's and the
    workers' certificates are for TLS server and client authentication (Dask
    connects in both directions) with their host as subject alternative name;
    the client's is for client authentication only.

    Parameters
    ----------
    folder : Path
        Created if needed (mode 0700); must not hold certificates already.
    scheduler : str
        The scheduler's host name or IP address (as the workers reach it).
    workers : sequence of str
        One host name or IP address per worker machine.
    days, ca_days : int
        Validity of the machine certificates and of the CA, in days.

    Returns
    -------
    ClusterFiles
        The paths written.

    Raises
    ------
    CertificateError
        For a host that is not an IP address or DNS name, no or repeated
        worker hosts, a validity below one day, or files that already exist.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    hosts = [check_host(h) for h in (scheduler, *workers)]
    if not workers:
        raise CertificateError(
            "no worker host given: name each worker machine (--workers HOST ...)"
        )
    if len(set(workers)) != len(workers):
        raise CertificateError(f"worker hosts repeat: {', '.join(workers)}")
    if days < 1 or ca_days < days:
        raise CertificateError(
            f"validity {days} days (CA {ca_days}): expected at least 1 day, and the CA at least as long"
        )
    folder = Path(folder)
    files = ClusterFiles(
        folder=folder,
        ca=folder / "ca.pem",
        scheduler=(folder / "scheduler.pem", folder / "scheduler-key.pem"),
        client=(folder / "client.pem", folder / "client-key.pem"),
        workers={h: (folder / f"worker-{h}.pem", folder / f"worker-{h}-key.pem") for h in workers},
    )
    every = [files.ca, folder / "ca-key.pem", *files.scheduler, *files.client]
    every += [p for pair in files.workers.values() for p in pair]
    existing = [p.name for p in every if p.exists()]
    if existing:
        raise CertificateError(
            f"{folder} already holds {', '.join(existing)}: choose an empty folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"render.py cluster CA ({hosts[0]})")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=ca_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(folder / "ca-key.pem", ca_key)
    _write_cert(files.ca, ca_cert)
    issued = [("dask scheduler", [scheduler], True, files.scheduler)]
    issued += [(f"dask worker {h}", [h], True, files.workers[h]) for h in workers]
    issued.append(("render.py client", [], False, files.client))
    for common_name, sans, server, (cert_path, key_path) in issued:
        key, cert = _issue(ca_cert, ca_key, common_name, sans, server, days, now)
        _write_key(key_path, key)
        _write_cert(cert_path, cert)
    return files
