from pathlib import Path

import pytest

from labelloom.core.settings import Settings


def test_from_env_parses_types_and_cli_overrides_win(tmp_path):
    env = {
        "LABELLOOM_DATA_DIR": str(tmp_path),
        "LABELLOOM_PORT": "9000",
        "LABELLOOM_DEBUG": "true",
        "LABELLOOM_DISABLE_PLUGINS": "video, audio",
        "LABELLOOM_PLUGINS": "",
    }
    settings = Settings.from_env(env, port=9100, host=None)
    assert settings.port == 9100 and settings.debug is True
    assert settings.disable_plugins == ["video", "audio"]
    assert settings.plugins is None  # empty = every installed plugin
    assert settings.resolved_database_url == f"sqlite+aiosqlite:///{tmp_path / 'labelloom.sqlite3'}"


def test_bad_value_is_a_clear_error():
    with pytest.raises(ValueError, match="port"):
        Settings.from_env({"LABELLOOM_PORT": "eighty"})


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = Settings(data_dir=str(tmp_path / "d")).prepared()
    second = Settings(data_dir=str(tmp_path / "d")).prepared()
    assert first.secret_key and first.secret_key == second.secret_key
    key_file = Path(first.data_dir) / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert Settings(data_dir=str(tmp_path / "d"), secret_key="given").prepared().secret_key == "given"
