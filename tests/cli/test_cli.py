import subprocess
import sys
from pathlib import Path

from vanban.cli import build_parser


def test_help_lists_the_commands_in_english():
    help_text = build_parser().format_help()
    for command in ("demo", "serve", "worker", "directory", "audit"):
        assert command in help_text
    assert "run the demo" in help_text


def test_console_script_runs_and_prints_help():
    script = Path(sys.executable).parent / "vanban"
    out = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "usage: vanban" in out.stdout


def test_missing_import_file_is_one_clear_line(capsys):
    from vanban.cli import main

    assert main(["directory", "import", "/nonexistent/tinh.xlsx"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "vanban: Không tìm thấy tệp /nonexistent/tinh.xlsx."
