"""Real mail servers on loopback for the tests: Dovecot (IMAP) and aiosmtpd (SMTP).

Dovecot comes from Debian's dovecot-imapd (installed by .ci/run); each fixture runs its own instance with its
own configuration in a temporary folder, listening on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.libreoffice import REQUIRED

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
needs_dovecot = pytest.mark.skipif(DOVECOT is None and not REQUIRED, reason="Dovecot (dovecot-imapd) is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    tls_port: int = 0
    ca_file: Path | None = None
    config: Path | None = None

    def kick(self) -> None:
        """End the user's open sessions as an administrator would (doveadm kick): the server says BYE."""
        assert self.config is not None
        doveadm = shutil.which("doveadm") or "/usr/bin/doveadm"
        subprocess.run([doveadm, "-c", str(self.config), "kick", self.user], check=True, capture_output=True)

    def url(self, folder: str = "INBOX") -> str:
        return f"imap://{self.user}@{self.host}:{self.port}/{folder}"

    def tls_url(self, folder: str = "INBOX") -> str:
        return f"imaps://{self.user}@{self.host}:{self.tls_port}/{folder}"


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a server certificate for 127.0.0.1, made with openssl (Debian's package)."""
    ca_key, ca, key, csr, cert = (folder / n for n in ("ca.key", "ca.pem", "server.key", "server.csr",
                                                        "server.pem"))
    run = lambda *args: subprocess.run(["openssl", *args], check=True, capture_output=True)  # noqa: E731
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
        "-subj", "/CN=planreports test CA")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=127.0.0.1")
    extensions = folder / "san.cnf"
    extensions.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n", encoding="ascii")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-out",
        str(cert), "-days", "2", "-extfile", str(extensions))
    return ca, cert, key


def _users() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid): Dovecot's own users when root, else ourselves."""
    if os.geteuid() == 0:
        internal = pwd.getpwnam("dovecot")
        login = "dovenull" if _exists("dovenull") else "dovecot"
        return internal.pw_name, login, internal.pw_uid, internal.pw_gid
    me = getpass.getuser()
    return me, me, os.getuid(), os.getgid()


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


@contextlib.contextmanager
def dovecot(user: str = "stttt", password: str = "mat-khau-thu") -> Iterator[ImapServer]:
    """A private Dovecot; its folder lives outside pytest's (mode 700) tree so Dovecot's users can read it."""
    tmp = Path(tempfile.mkdtemp(prefix="planreports-dovecot-"))
    try:
        with _dovecot(tmp, user, password) as server:
            yield server
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _dovecot(tmp: Path, user: str, password: str) -> Iterator[ImapServer]:
    assert DOVECOT is not None
    internal, login, uid, gid = _users()
    port = free_port()
    for sub in ("run", "state", "home"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    home = tmp / "home" / user
    home.mkdir(parents=True, exist_ok=True)
    (tmp / "passwd").write_text(f"{user}:{{PLAIN}}{password}::::::\n", encoding="utf-8")
    config = tmp / "dovecot.conf"
    config.write_text(f"""
base_dir = {tmp}/run
state_dir = {tmp}/state
log_path = {tmp}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {min(uid, 1) if uid else 0}
first_valid_gid = 0
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={tmp}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
""", encoding="utf-8")
    if os.geteuid() == 0:
        shutil.chown(home, uid, gid)
        for path in (tmp, tmp / "run", tmp / "state", tmp / "home"):
            os.chmod(path, 0o755)
    ca, cert, key = make_certificates(tmp)
    tls_port = free_port()
    config.write_text(config.read_text(encoding="utf-8").replace("ssl = no\n", f"ssl = yes\nssl_cert = <{cert}\n"
                      f"ssl_key = <{key}\n").replace("""  inet_listener imaps {
    port = 0
  }""", f"""  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}"""), encoding="utf-8")
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if process.poll() is not None:
                log = (tmp / "dovecot.log").read_text(errors="replace") if (tmp / "dovecot.log").exists() else ""
                raise RuntimeError(f"dovecot exited: {process.stdout.read() if process.stdout else ''} {log}")
            time.sleep(0.1)
        else:
            raise RuntimeError("dovecot did not start listening")
        yield ImapServer("127.0.0.1", port, user, password, tls_port, ca, config)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class _Inbox:
    """aiosmtpd handler keeping every message it receives. Like a real server it can refuse: `refuse` maps a
    recipient to the answer to its RCPT TO ("550 5.1.1 …", "450 4.2.1 …"), `reject` maps a recipient to the
    answer to DATA of a message for it ("554 5.6.0 …"; "421 …" and the client hangs up)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse: dict[str, str] = {}
        self.reject: dict[str, str] = {}

    @property
    def recipients(self) -> list[str]:
        return sorted(r for _, rcpts, _ in self.messages for r in rcpts)

    async def handle_RCPT(self, server: object, session: object, envelope: object, address: str,
                          options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        rcpt_tos: list[str] = list(envelope.rcpt_tos)  # type: ignore[attr-defined]
        for address in rcpt_tos:
            if address in self.reject:
                return self.reject[address]
        self.messages.append((envelope.mail_from, rcpt_tos, envelope.original_content))  # type: ignore[attr-defined]
        return "250 OK"


@contextlib.contextmanager
def smtp_server(utf8: bool = True) -> Iterator[tuple[int, _Inbox]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1: what arrives can be read back. `utf8=False`: a server
    without SMTPUTF8, which cannot take an address with diacritics."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=utf8)
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@contextlib.contextmanager
def secure_smtp_server(user: str, password: str) -> Iterator[tuple[int, _Inbox, Path]]:
    """aiosmtpd requiring STARTTLS (certificate from a private CA) and a login; yields the CA file too."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    folder = Path(tempfile.mkdtemp(prefix="planreports-smtp-"))
    ca, cert, key = make_certificates(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticate(server: object, session: object, envelope: object, mechanism: str, data: object) -> AuthResult:
        ok = getattr(data, "login", b"") == user.encode() and getattr(data, "password", b"") == password.encode()
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=authenticate, auth_require_tls=True)
    controller.start()
    try:
        yield controller.port, inbox, ca
    finally:
        controller.stop()
        shutil.rmtree(folder, ignore_errors=True)
