import pytest

from tests.server.social.helpers import Notified


@pytest.fixture
def notified(monkeypatch) -> Notified:
    """Social code's notifications, captured (the notifications domain has its own tests)."""
    recorder = Notified()
    monkeypatch.setattr("server.social.notify._notifier", lambda: recorder)
    monkeypatch.setattr("server.social.notify._known_kinds", lambda: None)  # kinds as social names them
    return recorder
