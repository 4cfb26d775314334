import pytest

from tests.server.social.helpers import Notified, stand_in


@pytest.fixture
def notified(monkeypatch) -> Notified:
    """Social code's notifications, captured (the notifications domain has its own tests)."""
    recorder = Notified()
    monkeypatch.setattr("server.social.notify.notifications", stand_in(recorder))  # kinds as social names them
    return recorder
