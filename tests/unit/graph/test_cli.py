"""`vitrina query --store graph` on the local profile and `vitrina bench graph`, through the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vitrina.cli import main


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("VITRINA_")]:
        monkeypatch.delenv(name)
    return tmp_path


def test_cypher_on_the_local_profile_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code = main(["--data-dir", str(data_dir), "query", "--store", "graph", "match (n) return n"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.strip().splitlines() == [
        "vitrina: error: --store graph runs Cypher on Neo4j; the local profile's graph store "
        "is igraph:// (use --profile stack)"
    ]


def test_bench_graph_last_line_holds_the_figures(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    args = ["bench", "graph", "--users", "2000", "--friendships", "8000", "--follows", "1000"]
    code = main(args)
    out, _ = capsys.readouterr()
    assert code == 0
    figures = json.loads(out.strip().splitlines()[-1])
    assert figures["users"] == 2000 and figures["friendships"] == 8000
    assert figures["follows"] == 1000
    assert figures["pagerank_ratio_vs_networkx"] > 0 and figures["cpu_s"]["reach"] > 0
    assert figures["pagerank_max_abs_diff_vs_networkx"] < 1e-9
    assert figures["graph_step_seconds"] > 0 and figures["peak_rss_mb"] > 0
    assert figures["depth_sampled_sources"] is None  # 2,000 users: exact
    assert figures["max_depth"] >= 2


def test_bench_graph_neo4j_needs_a_bolt_store(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code = main(["bench", "graph", "--users", "200", "--friendships", "400", "--neo4j"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "--neo4j needs a bolt:// graph store" in err


def test_bench_graph_rejects_more_friendships_than_pairs(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code = main(["bench", "graph", "--users", "100", "--friendships", "5000"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "5,000 friendships do not fit among 100 users" in err
