"""What the deployment tests share: Debian's nginx and PostgreSQL server programs, installed
when missing (`.ci/install-deploy-tools`, as the browser tests get Chromium), and the load
driver bench/loadgen.py."""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import sys

from tests.conftest import ROOT


@functools.cache
def install_deploy_tools() -> None:
    subprocess.run(["bash", str(ROOT / ".ci" / "install-deploy-tools")], check=True,
                   timeout=900)


@functools.cache
def loadgen():
    """bench/loadgen.py as a module (bench/ holds scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_loadgen", ROOT / "bench" / "loadgen.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
