"""The output-weight report (tests/bench/output_weight.py) splits pages into head, article and frame exactly."""

from __future__ import annotations

from tests.bench.output_weight import MIB, html_parts, report, weigh

PAGE = b"<html><head><title>x</title></head><body><nav>nav</nav><article><article>body</article></article></body></html>"


def test_a_page_is_split_into_head_article_and_frame():
    parts = html_parts(PAGE)
    assert parts["head"] == PAGE.index(b"</head>")
    assert parts["article"] == len(b"<article><article>body</article></article>")
    assert sum(parts.values()) == len(PAGE)
    assert html_parts(b"<p>no head, no article</p>") == {"head": 0, "article": 0, "frame": 26}


def test_folders_count_pages_and_other_files(tmp_path):
    (tmp_path / "results" / "a").mkdir(parents=True)
    (tmp_path / "results" / "a" / "index.html").write_bytes(PAGE)
    (tmp_path / "results" / "a" / "photo.png").write_bytes(b"\0" * MIB)
    (tmp_path / "sitemap.xml").write_bytes(b"<urlset/>")
    folders = weigh(tmp_path)
    assert folders["results"]["pages"] == 1 and folders["results"][".png"] == MIB
    assert folders[""][".xml"] == len(b"<urlset/>")
    text = report(folders)
    assert "| results | 1.0 | 1 |" in text and ".png 1.0" in text
    frame = len(PAGE) - html_parts(PAGE)["article"]
    assert text.endswith(f"没有它们时 {(MIB + len(PAGE) + 9 - frame) / MIB:.1f} MiB。")
