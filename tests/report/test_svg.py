"""The inline SVG drawings: deterministic, escaped, never referencing anything outside."""

from __future__ import annotations

import re

from qualcode.report import svg


def test_score_bar_clamps_and_labels():
    drawing = svg.score_bar(0.5, threshold=0.3, kind="on", width=100, label='C1 <0.5> "x"')
    assert drawing.startswith('<svg class="bar" width="100" height="10"')
    assert '<rect width="50" height="10" rx="2" fill="#2f6f9f"/>' in drawing
    assert '<line x1="30" x2="30"' in drawing
    assert "C1 &lt;0.5&gt; &quot;x&quot;" in drawing
    assert svg.score_bar(0.0, width=100).count("<rect") == 1  # the track only
    assert '<rect width="100" height="10" rx="2" fill="#9fb3c8"/>' in svg.score_bar(3.0, width=100)


def test_shade_runs_from_light_to_blue():
    assert svg.shade(0) == "#f7fbff" and svg.shade(1) == "#4a90c4" and svg.shade(7) == svg.shade(1)


def test_heatmap_cells_labels_and_escaping():
    drawing = svg.heatmap([("Groupe <g>", [("a", "Thème <a> & co"), ("b", "b" * 200)])], ["north", "<s>"],
                          {("a", "north"): (0.5, "1/2"), ("b", "<s>"): (1.0, "2/2")}, title="t",
                          legend=[(0.0, "0 %"), (1.0, "100 %")])
    assert "Thème &lt;a&gt; &amp; co" in drawing and "&lt;s&gt;" in drawing and "<s>" not in drawing
    assert drawing.count("<rect") == 4 + 2  # 2 rows x 2 columns, 2 legend swatches
    assert "…" in drawing  # the long label is cut, its full text in <title>
    assert "b" * 200 in drawing
    assert svg.shade(0.5) in drawing and ">1/2<" in drawing


def test_network_places_every_provider_and_weights_the_lines():
    actors = [("a", "France Travail"), ("b", "Mission locale"), ("c", "Cap <emploi>")]
    drawing = svg.network(actors, {"a": 4, "b": 1}, [("a", "b", 3), ("a", "zzz", 9)], title="n")
    assert drawing.count("<circle") == 3
    assert 'stroke-dasharray="2 2"' in drawing  # c is not mentioned: hollow
    assert drawing.count("<line") == 1  # the pair with an unknown provider is left out
    assert 'stroke-width="7"' in drawing  # the heaviest pair drawn
    assert "Cap &lt;emploi&gt;" in drawing
    assert svg.network(actors, {"a": 4}, []) == svg.network(actors, {"a": 4}, [])


def test_drawings_reference_nothing_outside():
    drawings = [svg.score_bar(0.2, label="http://x"), svg.network([("a", "//b")], {"a": 1}, []),
                svg.heatmap([("", [("a", "https://x.y/z")])], ["c"], {})]
    for drawing in drawings:
        assert "//" not in drawing
        assert not re.search(r"(href|src)=", drawing)
        assert "xmlns" not in drawing
