"""Every environment variable the settings read is documented in docs/configuration.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented():
    source = (ROOT / "parley" / "settings.py").read_text()
    used = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', source)) | set(re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z_]+)"', source))
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    assert used, "no settings found: the pattern above is out of date"
    assert used <= documented, f"undocumented settings: {sorted(used - documented)}"
