"""`desk incident show` names the problem the incident is linked to (issue 18): "Problem  3: title
(status label)" in the user's language, and `problem` in --json (null when there is none)."""

import json
import os
import re
import subprocess
import sys


def test_incident_show_names_its_problem_in_text_and_json(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "DESK_USER": "admin", "DESK_DB": str(tmp_path / "desk.db"), "LANG": "C.UTF-8"}

    def cli(*args):
        out = subprocess.run([sys.executable, "-m", "desk", *args], capture_output=True, timeout=60, env=env)
        assert out.returncode == 0, out.stderr.decode()
        return out.stdout.decode()

    cli("init")
    cli("incident", "new", "--title", "VPN drops")
    cli("incident", "new", "--title", "Printer jams")
    cli("problem", "new", "--title", "VPN [b]tunnel[/b] resets", "--incident", "1")
    assert json.loads(cli("incident", "show", "1", "--json"))["problem"] == \
        {"id": 1, "title": "VPN [b]tunnel[/b] resets", "status": "new"}
    assert json.loads(cli("incident", "show", "2", "--json"))["problem"] is None
    assert re.search(r"\n  Problem +1: VPN \[b\]tunnel\[/b\] resets \(new\)\n", cli("incident", "show", "1"))
    assert re.search(r"\n  问题 +1：VPN \[b\]tunnel\[/b\] resets（新建）\n", cli("incident", "show", "1", "--lang", "zh"))
    assert "Problem" not in cli("incident", "show", "2")
