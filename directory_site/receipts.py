"""The e-mail an applicant gets when the "Become a partner" form was received, in
the form's language, sent from the office's address when SMTP is set (SMTP_HOST,
as for `partners remind`). It is sent after the answer, in a thread of its own,
and once a day at most to one address from one worker: a form sent again (the same
organization or e-mail within a day is one application) is not a second e-mail,
and nobody can use the form to fill someone's inbox."""

import asyncio
import logging
from collections import OrderedDict
from datetime import date
from email.message import EmailMessage

from api.mail import MailError, Smtp, message
from directory_site.messages import translations
from models.settings import Settings

log = logging.getLogger("partners.receipts")
REMEMBERED = 10_000  # addresses e-mailed, per worker; the oldest are forgotten


class Receipts:
    """Receipts sent by one worker, through the settings' SMTP server."""

    def __init__(self, settings: Settings) -> None:
        self.smtp = Smtp.from_settings(settings)
        self.sender = settings.reminders_from.split(",")[0].strip()
        self.sent: OrderedDict[tuple[str, date], None] = OrderedDict()
        self.sending: set[asyncio.Task[None]] = set()

    def send(
        self, to: str, organization: str, district: str, language: str, day: date
    ) -> None:
        """Send the receipt to `to` in the background, unless SMTP is not set or
        `to` had one today."""
        key = (to.casefold(), day)
        if self.smtp is None or key in self.sent:
            return
        self.sent[key] = None
        while len(self.sent) > REMEMBERED:
            self.sent.popitem(last=False)
        mail = receipt(to, organization, district, language, self.sender)
        task = asyncio.create_task(asyncio.to_thread(self._deliver, mail))
        self.sending.add(task)  # kept until done: a task nobody holds may vanish
        task.add_done_callback(self.sending.discard)

    def _deliver(self, mail: EmailMessage) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.send(mail)
        except MailError as error:  # the application is in; the office sees it
            log.warning("receipt to %s not sent: %s", mail["To"], error)


def receipt(
    to: str, organization: str, district: str, language: str, sender: str
) -> EmailMessage:
    """The receipt, in `language`."""
    say = translations(language).gettext
    subject = say("Your application to become a partner of %(district)s") % {
        "district": district
    }
    body = say(
        "Thank you for applying to become a community partner of %(district)s.\n\n"
        "The Community Partnerships office has the application of %(organization)s. "
        "It reviews every application and will write to you at this address, to "
        "approve it, to ask for changes or documents, or to say why not. Nothing "
        "you sent is public until the office approves it.\n\n"
        "Please do not answer this e-mail: write to %(office)s."
    ) % {"district": district, "organization": organization, "office": sender}
    return message(subject, body, sender, [to])
