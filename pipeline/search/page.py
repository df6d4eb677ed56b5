"""The search page's HTML: a form that works as a plain GET form (…/search/?q=…) and the empty places that
search.js fills. No inline script or handler: the site's Content-Security-Policy allows scripts from files only.
"""

from __future__ import annotations

from html import escape

from pipeline.model.publication import Publication


def render_search_page(pub: Publication, *, index_base: str = "./", site_root: str = "../") -> str:
    """The fragment for the page at `search/`. `index_base` (where manifest.json is) and `site_root` are
    relative to the page, so the site also works under a sub-path; the defaults fit `search/`."""
    count = len(pub.records)
    return (
        '<div class="zl-search-page">\n'
        '<form id="zl-search-form" class="zl-search-form" role="search" action="./" method="get">\n'
        '<label for="zl-search-input">搜索成果</label>\n'
        '<input id="zl-search-input" name="q" type="search" autocomplete="off" spellcheck="false" '
        'placeholder="例如：芯片、石墨烯、智能电网、单位或完成人姓名" aria-describedby="zl-search-help">\n'
        '<button type="submit">搜索</button>\n'
        '</form>\n'
        '<p id="zl-search-status" class="zl-search-status" role="status" aria-live="polite"></p>\n'
        f'<ol id="zl-search-results" class="zl-search-results" data-index-base="{escape(index_base)}" '
        f'data-site-root="{escape(site_root)}"></ol>\n'
        '<p><button id="zl-search-more" class="zl-search-more" type="button" hidden>显示更多</button></p>\n'
        '<div id="zl-search-tips" class="zl-search-tips" hidden><p>没有找到？可以试试：</p><ul>'
        '<li>检查是否有错别字；</li>'
        '<li>换用更短、更常用的词，例如只输入单位简称、人名或技术名称中的两三个字；</li>'
        '<li>多个词语用空格分开时，结果须同时包含全部词语：减少词语可以找到更多成果；</li>'
        f'<li>也可以<a href="{escape(site_root)}browse/">按领域、城市、类别和完成单位浏览成果</a>。</li></ul></div>\n'
        f'<p id="zl-search-help" class="zl-search-help">在 {count} 项已公开成果的名称、简介、详细介绍、创新点、完成单位、'
        '完成人、科创平台、领域、关键词、报送单位、产品和论文中查找包含所输入文字的成果，任意长度的词语都能找到，'
        '不区分全角半角和英文大小写。输入多个词语时用空格分开，查找同时包含这些词语的成果。'
        '名称中含有查找词的成果排在前面，其余按入库时间从新到旧排列。</p>\n'
        f'<noscript><p>站内搜索需要启用浏览器的 JavaScript；也可以<a href="{escape(site_root)}browse/">按领域、城市、'
        '类别和完成单位浏览成果</a>。</p></noscript>\n'
        '</div>\n'
    )
