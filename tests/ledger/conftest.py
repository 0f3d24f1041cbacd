import pytest


@pytest.fixture(autouse=True)
def _fast_passwords_and_media(settings, tmp_path):
    """Cheap password hashing for the district's users; uploads under the test's own folder."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
