"""SMS gateways for tests only, named for what they do; never configured outside tests."""

from motcua.notifications.channels import SmsGateway


class RefusingGateway(SmsGateway):
    """A provider that refuses every message and, as real providers do, names the number it
    refused in its error."""

    def send(self, phone: str, text: str) -> str:
        raise ConnectionError(f"provider refused +84{phone[1:]} ({phone}): quota exceeded")


class HookGateway(SmsGateway):
    """The embedded file gateway with a hook run in the middle of a send: lets a test do, at
    exactly that moment, what another worker or a later run could do."""

    during_send = None  # set by the test: a callable taking no argument

    def send(self, phone: str, text: str) -> str:
        from motcua.notifications.channels import FileSmsGateway

        hook, HookGateway.during_send = HookGateway.during_send, None
        if hook is not None:
            hook()
        return FileSmsGateway().send(phone, text)
