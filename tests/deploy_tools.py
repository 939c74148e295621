"""Debian's nginx and PostgreSQL server programs for the deployment tests, installed when
missing (`.ci/install-deploy-tools`), as the browser tests get Chromium."""

from __future__ import annotations

import functools
import subprocess

from tests.conftest import ROOT


@functools.cache
def install_deploy_tools() -> None:
    subprocess.run(["bash", str(ROOT / ".ci" / "install-deploy-tools")], check=True,
                   timeout=900)
