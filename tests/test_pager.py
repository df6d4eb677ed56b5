"""The pager of a paged list (issue 18): a bounded number of links on every page, yet every page a few clicks
from the first. It used to link every page: at 100,000 records a category's 986 pages each carried a 64 KB pager."""

from __future__ import annotations

import re
from collections import deque

from pipeline.model.views import Listing
from pipeline.render.pages import environment, prefix_for

BASE = "browse/category/key-technology/"


def listing(number: int, count: int) -> Listing:
    return Listing(BASE, number, count, (), count * 50)


def linked(number: int, count: int) -> set[int]:
    """The pages one click away: the numbered links, and 上一页 / 下一页."""
    pages = {n for n in listing(number, count).pager_numbers() if n is not None}
    return (pages | {number - 1, number + 1}) & set(range(1, count + 1)) - {number}


def clicks_from_the_first(count: int) -> dict[int, int]:
    seen, queue = {1: 0}, deque([1])
    while queue:
        page = queue.popleft()
        for other in linked(page, count):
            if other not in seen:
                seen[other] = seen[page] + 1
                queue.append(other)
    return seen


def test_a_short_list_links_every_page():
    assert listing(3, 7).pager_numbers() == [1, 2, 3, 4, 5, 6, 7]
    assert listing(1, 1).pager_numbers() == [1]


def test_a_long_list_links_its_ends_the_neighbours_and_the_pages_ten_and_a_hundred_away():
    assert listing(500, 986).pager_numbers() == [1, None, 400, None, 490, None, 498, 499, 500, 501, 502, None, 510,
                                                 None, 600, None, 986]
    assert listing(1, 986).pager_numbers() == [1, 2, 3, None, 11, None, 101, None, 986]
    assert listing(986, 986).pager_numbers() == [1, None, 886, None, 976, None, 984, 985, 986]
    assert listing(12, 20).pager_numbers() == [1, 2, None, 10, 11, 12, 13, 14, None, 20]  # 2 is 10 away
    assert listing(4000, 5000).pager_numbers() == [1, None, 3000, None, 3900, None, 3990, None, 3998, 3999, 4000, 4001,
                                                   4002, None, 4010, None, 4100, None, 5000]  # and 1,000 away
    assert listing(4, 9).pager_numbers() == [1, 2, 3, 4, 5, 6, None, 9]  # 1 is shown rather than hidden by "…"


def test_no_pager_grows_with_its_list_and_every_page_stays_a_few_clicks_away():
    # a link for each power of ten below the page count: 4 more entries (a jump each way, and their gaps) per digit
    for count, most_entries, most_clicks in ((2, 2, 1), (9, 9, 4), (60, 13, 6), (986, 17, 12), (5000, 21, 15)):
        assert max(len(listing(n, count).pager_numbers()) for n in range(1, count + 1)) <= most_entries
        clicks = clicks_from_the_first(count)
        assert len(clicks) == count, "a page no pager leads to"
        assert max(clicks.values()) <= most_clicks, (count, max(clicks.values()))


def test_the_rendered_pager_links_what_it_numbers():
    template = environment().from_string('{% from "_macros.html" import pager with context %}{{ pager(listing) }}')
    page = listing(500, 986)
    prefix = prefix_for(page.url)
    html = template.render(link=lambda to: prefix + to, listing=page)
    assert re.findall(r'<a href="([^"]+)">(\d+)</a>', html) == [
        ("../../../../" + BASE if n == 1 else f"../../../../{BASE}{n}/", str(n))
        for n in (1, 400, 490, 498, 499, 501, 502, 510, 600, 986)]
    assert '<span aria-current="page">500</span>' in html and html.count('<span class="zl-pager-gap">…</span>') == 6
    assert f'<a rel="prev" href="../../../../{BASE}499/">上一页</a>' in html
    assert f'<a rel="next" href="../../../../{BASE}501/">下一页</a>' in html
    assert len(html.encode()) < 2_000
