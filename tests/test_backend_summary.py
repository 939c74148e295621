"""The 数据库后端 section `make test` prints (tests/conftest.py): which backends ran."""

from __future__ import annotations


def test_the_backend_summary_counts_each_backends_cases():
    from types import SimpleNamespace

    from tests.conftest import backend_summary

    def report(nodeid, when="call"):
        return SimpleNamespace(nodeid=nodeid, when=when)

    stats = {"passed": [report("t.py::a[sqlite]"), report("t.py::b[x-postgresql-1]"),
                        report("t.py::a[sqlite]", when="teardown")],
             "skipped": [report("t.py::a[mysql]", when="setup")],
             "failed": [report("t.py::c[postgresql]")]}
    lines = backend_summary(stats)
    assert lines[0].startswith("SQLite: 运行;通过 1,")
    assert "通过 1,失败 1,跳过 0" in lines[1]
    assert "跳过 1" in lines[2]
