"""E-mail through a real SMTP server (smtplib): the office's digest, and the receipt
an applicant to become a partner gets."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from models.clock import now
from models.settings import Settings


class MailError(Exception):
    """The message could not be handed to the SMTP server; says why."""


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str = "starttls"  # starttls, ssl or none
    user: str = ""
    password: str = ""
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "Smtp | None":
        """The SMTP server the settings name, or None when SMTP_HOST is not set."""
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            security=settings.smtp_security,
            user=settings.smtp_user,
            password=settings.smtp_password,
        )

    def send(self, message: EmailMessage) -> None:
        if self.security not in ("starttls", "ssl", "none"):
            raise MailError(
                f"SMTP_SECURITY must be starttls, ssl or none, got {self.security!r}"
            )
        context = ssl.create_default_context()
        try:
            if self.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=context
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                if self.security == "starttls":
                    client.starttls(context=context)
                if self.user:
                    client.login(self.user, self.password)
                refused = client.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise MailError(
                f"could not send through {self.host}:{self.port}: {error}"
            ) from None
        if refused:
            raise MailError(f"the server refused: {', '.join(sorted(refused))}")


def message(subject: str, body: str, sender: str, to: list[str]) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = subject
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = format_datetime(now())
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    mail.set_content(body)
    return mail
