"""Running git and rsync: plain subprocess calls whose failures become one-line DeployErrors."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from sitegen.deploy.publisher import DeployError

# Variables a calling git process (a hook, say) may set; they would redirect our git calls.
_GIT_LOCATION_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)

_INSTALL_HINTS = {
    "git": "install git (Debian/Ubuntu: apt-get install git)",
    "rsync": "install rsync (Debian/Ubuntu: apt-get install rsync)",
}


def require(tool: str) -> None:
    """Raise DeployError when `tool` is not on PATH."""
    if shutil.which(tool) is None:
        hint = _INSTALL_HINTS.get(tool, f"install {tool}")
        raise DeployError(f"{tool} is not installed or not on PATH; {hint}")


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without git location overrides, English messages, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARIABLES}
    env["LC_ALL"] = "C"
    env.update(extra or {})
    return env


def first_problem(stderr: bytes) -> str:
    """The most telling line of a tool's error output."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    for prefix in ("fatal:", "error:", "rsync:", "rsync error:", "ssh:"):
        for line in lines:
            if line.startswith(prefix):
                return line
    return lines[-1] if lines else "no error message"


def run(
    argv: Sequence[str | Path],
    *,
    failure: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
    ok: tuple[int, ...] | None = (0,),
) -> subprocess.CompletedProcess[bytes]:
    """Run a command and capture its output; an exit code outside `ok` raises DeployError.

    The error reads `<failure>: <first telling line of stderr>`. With `ok=None` every exit
    code is accepted and the caller reads it.
    """
    tool = str(argv[0])
    try:
        proc = subprocess.run(
            [str(a) for a in argv],
            cwd=cwd,
            env=environment(env),
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        require(tool)
        raise DeployError(f"cannot run {tool}") from None
    except OSError as exc:
        raise DeployError(f"cannot run {tool}: {exc.strerror}") from None
    if ok is not None and proc.returncode not in ok:
        raise DeployError(f"{failure}: {first_problem(proc.stderr)}")
    return proc
