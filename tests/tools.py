"""Test-only tools installed by npm (package.json): axe-core and the Nu HTML Checker (vnu-jar).

Where they are missing the tests that need them are skipped with the reason, except under CI
(CI=true), where a missing tool is a failure: CI must run them (`npm ci` installs them).
"""

import os
import shutil
from pathlib import Path

import pytest

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(path, what):
    """``path`` if it exists; otherwise skip (fail under CI) saying how to get it."""
    if path.exists():
        return path
    message = f"{what} not found at {path}; run `npm ci` in the project root."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
    return None


def require_java():
    java = shutil.which("java")
    if java:
        return java
    message = "java not found (apt-get install default-jre-headless); the Nu HTML Checker needs it."
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
    return None
