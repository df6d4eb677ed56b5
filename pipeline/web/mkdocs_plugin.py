"""The one MkDocs-aware module: hands the pipeline's site plan to MkDocs.

Everything before this (loading, validation, grouping, rendering) is MkDocs-free; replacing the generator
(for instance by Zensical) means replacing this adapter only. The library is loaded and every page rendered
in `on_config`, before MkDocs reads a single page, so an invalid library fails the build with the validator's
diagnostics and never publishes a site with records silently missing.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from pipeline.documents.pdf import DocumentEngineError
from pipeline.kinds import all_kinds
from pipeline.render.submit_page import fill_submit_page
from pipeline.web.csp import add_content_security_policy
from pipeline.web.html_compact import compact_html
from pipeline.render.dedent import DedentLoader
from pipeline.render.exports import file_chunks
from pipeline.render.pages import RenderedPage
from markupsafe import Markup
from pipeline.diagnostics import format_text
from pipeline.web.site_build import SiteInputs, prepare_site
from pipeline.web.site_plan import SitePlan

# Material ships its own search (a worker, lunr and its language files, ~1 MB) and source maps; the site has
# its own search page and never loads them.
UNUSED_THEME_FILES = ("assets/javascripts/workers/", "assets/javascripts/lunr/")


def _unused_theme_file(file: File) -> bool:
    return file.src_uri.startswith(UNUSED_THEME_FILES) or (
        file.src_uri.startswith("assets/") and file.src_uri.endswith(".map"))


def _site_url(file: File) -> str:
    """MkDocs calls the home page "./"; the pipeline calls it ""."""
    return "" if file.url == "./" else file.url


class _Written(File):
    """A generated file the plugin has already written into the site: MkDocs knows it (links to it resolve) but
    does not copy it onto itself (at 10,000 records, 16,000 pairs of stat calls and directory checks: ~2 s)."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def _folder(page: Page) -> str:
    return page.url.rstrip("/").rpartition("/")[0]


def _toc_key(page: Page | None) -> str:
    """Pages with the same contents list (every record: the same sections) share its rendering."""
    return "|".join(f"{entry.id}={entry.title}" for entry in page.toc) if page else ""


def with_edition_sections(nav: list | None) -> list | None:
    """The navigation with one section per registered edition kind, after the first entry (首页)."""
    if nav is None:
        return None
    present = {str(v) for entry in nav if isinstance(entry, dict) for v in entry.values()}
    sections = [{kind.label: f"{kind.index_url}index.md"} for kind in all_kinds()
                if f"{kind.index_url}index.md" not in present]
    return [*nav[:1], *sections, *nav[1:]]


_NO_TOC = get_toc([])


@contextmanager
def _documents_failure():
    """Documents made in the worker fail where their result is used: said as the build's error, not a traceback."""
    try:
        yield
    except DocumentEngineError as exc:
        raise PluginError(f"生成月报、榜单等文件失败：{exc}") from None

# The template of the generated pages outside the navigation (overrides/zl-lean.html).
LEAN_TEMPLATE = "zl-lean.html"


def _standing_meta(page: RenderedPage, template: str | None) -> dict:
    """What a generated page's metadata holds before and after the page is written: the navigation's title, the
    sitemap's noindex (the sitemap is written before the pages) and the template MkDocs picks before the page's
    context exists. The rest exists while the page is written."""
    meta = {"title": page.title, "zl_noindex": page.noindex}
    return {**meta, "template": template} if template else meta


def theme_assets(theme_dirs: list[str]) -> dict:
    """Material's fingerprinted stylesheets and script (main.57a0d79d.min.css …), as its base.html links them,
    for the lean template. Their names change with every Material release, so they are looked up, not written."""
    def one(pattern: str) -> str:
        found = sorted({p.relative_to(d).as_posix() for d in map(Path, theme_dirs) for p in d.glob(pattern)})
        if len(found) != 1:
            raise PluginError(f"主题文件 {pattern} 应当恰好有一个，实际找到 {len(found)} 个：{found}")
        return found[0]

    return {"stylesheets": [one("assets/stylesheets/main.*.min.css"), one("assets/stylesheets/palette.*.min.css")],
            "script": one("assets/javascripts/bundle.*.min.js")}


class ZlhcgPlugin(BasePlugin):
    def __init__(self) -> None:
        self.inputs: SiteInputs | None = None
        self.plan: SitePlan | None = None
        self.pages_by_url: dict = {}
        self.nav_urls: set[str] = set()
        self.fragments: dict[str, str] = {}
        self.standing_meta: dict = {}
        self.pages_written = 0

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.pages_written = 0
        root = Path(config.config_file_path).resolve().parent
        # Loading makes a million objects that all live to the end of the build: the cyclic garbage collector
        # would walk them all again each time they grew by a quarter (2.2 s at 10,000 records), finding nothing.
        gc.disable()
        try:
            inputs = prepare_site(root, os.environ, progress=lambda message: print(message, file=sys.stderr))
        finally:
            # One collection for what loading left in cycles, then the rest is frozen: not walked again while the
            # pages are written either. Collected before the collector is back on, which would otherwise start a
            # full collection of its own at the next allocation (0.4 s at 10,000 records).
            gc.collect()
            gc.freeze()
            gc.enable()
        if inputs.errors:
            raise PluginError("成果库校验未通过，已停止构建（不会发布缺少成果的网站）：\n" + format_text(inputs.diagnostics))
        self.inputs = inputs
        self.plan = inputs.plan
        self.pages_by_url = {p.url: p for p in inputs.plan.pages}
        config.nav = with_edition_sections(config.nav)
        config.extra["zl_demo"] = inputs.publication.has_demo_records
        config.extra["zl_built"] = inputs.publication.built_at.isoformat()
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.plan is not None
        root = Path(config.config_file_path).resolve().parent
        edition_folders = tuple(kind.index_url for kind in all_kinds())
        for file in list(files):
            # Edition sources that are not (yet) public — embargoed — must never be copied or rendered.
            if file.src_uri.startswith(edition_folders) and file.is_documentation_page() \
                    and _site_url(file) not in self.pages_by_url:
                files.remove(file)
            elif _unused_theme_file(file):
                files.remove(file)
        taken = {_site_url(f) for f in files if f.is_documentation_page()}
        for page in self.plan.pages:
            if page.url not in taken:
                files.append(File.generated(config, page.src_uri, content=""))
        # An edition page's download links carry its documents' sizes: when the worker makes the documents, the
        # page waits for them, so these pages are written last (Files keeps the order files were added in).
        for file in [f for f in files if f.is_documentation_page() and _site_url(f) in self.inputs.documents.urls]:
            files.remove(file)
            files.append(file)
        # Generated files (open data, documents, feeds: ~100 MB at 10,000 records) go straight into the site, not
        # held in memory while the pages are written; MkDocs still knows them for links (see _Written). The open
        # data is made as it is written (exports.Streamed).
        site = Path(config.site_dir)
        for path, content in sorted(self.plan.files.items()):
            written = site / path
            written.parent.mkdir(parents=True, exist_ok=True)
            with written.open("wb") as out:
                out.writelines(file_chunks(content))
            files.append(_Written.generated(config, path, abs_src_path=str(written)))
        self.plan = dataclasses.replace(self.plan, files={})
        self.inputs = dataclasses.replace(self.inputs, plan=self.plan)
        pub = self.inputs.publication
        for record in (*pub.records, *pub.tombstones):  # the open data is written: pages need the model only
            record.forget_data()
        for media in self.plan.media:
            files.append(File.generated(config, media.target, abs_src_path=str(root / media.source)))
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav_urls = {page.url for page in nav.pages}
        return nav

    def on_env(self, env, config: MkDocsConfig, files: Files):
        self.fragments = {}
        env.loader = DedentLoader(env.loader)  # the theme's templates too: indentation costs bytes on every page
        env.auto_reload = False  # MkDocs makes a new environment for each build; no file check on every include
        if env.cache is not None:
            env.cache.clear()
        # The theme's JSON (its configuration block on every page) in UTF-8 rather than \u escapes, without
        # spaces: half the bytes. `tojson` still escapes < > & ' for HTML.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
        env.globals["zl_chrome"] = self._chrome
        env.globals["zl_toc_key"] = _toc_key
        env.globals["zl_theme_assets"] = theme_assets(config.theme.dirs)
        return env

    def _outside_nav(self, page) -> bool:
        return page is not None and page.url not in self.nav_urls

    def _chrome(self, page, name: str, caller) -> str:
        """A piece of the theme around the content, rendered once per folder for pages outside the navigation
        (their relative links depend on the folder only; see overrides/zl-lean.html)."""
        if not self._outside_nav(page):
            return caller()
        key = f"{name}:{_folder(page)}"
        if key not in self.fragments:
            self.fragments[key] = Markup(compact_html(caller()))
        return self.fragments[key]

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        """Pages the pipeline rendered skip MkDocs' Markdown step: there is no Markdown to convert, and
        setting up the converter for each of ten thousand pages is a tenth of the build."""
        rendered = self.pages_by_url.get(_site_url(page.file))
        if rendered is None:
            # A hand-written page: its sitemap date comes from the data, never from the build clock.
            page.update_date = self.inputs.newest_iso
            return page

        def read_source(config: MkDocsConfig) -> None:
            template = None if page.url in self.nav_urls else LEAN_TEMPLATE
            page.markdown, page.meta = "", _standing_meta(rendered, template)

        def render(config: MkDocsConfig, files: Files) -> None:
            page.content = ""  # filled in on_page_context, just before the page is written
            page.present_anchor_ids = {e.anchor for e in rendered.toc}

        page.read_source, page.render = read_source, render
        page.update_date = rendered.updated.isoformat() if rendered.updated else self.inputs.newest_iso
        return page

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav: Navigation) -> dict:
        """A generated page's HTML, metadata and contents list are made now, when MkDocs writes the page, and
        dropped once it is written (on_post_page): ten thousand pages are never all held in memory at once."""
        rendered = self.pages_by_url.get(_site_url(page.file))
        if rendered is not None:
            self.standing_meta = page.meta  # put back once the page is written (pages are written one by one)
            with _documents_failure():
                page.content = self.inputs.page_html(rendered)
            page.meta = self.inputs.page_meta(rendered)
            page.toc = get_toc([{"level": e.level, "id": e.anchor, "name": e.title, "children": []}
                                for e in rendered.toc])
        return context

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Hand-written pages may mark places filled from `extra` (the 报送指南's contact and form buttons)."""
        return fill_submit_page(markdown, config.extra)

    def on_post_build(self, config: MkDocsConfig) -> None:
        """What was made alongside the pages (the worker's documents and search index) goes in last."""
        with _documents_failure():
            self.inputs.finish(Path(config.site_dir))
        gc.unfreeze()  # `mkdocs serve` builds again in this process: the old library must be collectable

    def on_build_error(self, error: Exception) -> None:
        if self.inputs is not None:
            self.inputs.discard()
        gc.unfreeze()

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Pages outside the navigation are already compact where it counts (dedented templates, compacted shared
        chrome): the blank lines left between blocks are not worth a pass over ten thousand pages. The few pages
        in the navigation get the full compaction."""
        rendered = self.pages_by_url.get(_site_url(page.file))
        if rendered is not None:
            # The same objects as before writing: a new one per page, kept to the end of the build, would be
            # scattered among the freed memory of the page's rendering and keep it from going back to the system.
            page.content, page.meta, page.toc = None, self.standing_meta, _NO_TOC
        if not self._outside_nav(page):
            output = compact_html(output)
        self.pages_written += 1
        return add_content_security_policy(output)

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        """Theme-only pages such as 404.html get the same policy; the sitemap loses its indentation too."""
        if template_name.endswith(".html"):
            return add_content_security_policy(compact_html(output_content))
        return compact_html(output_content) if template_name.endswith(".xml") else output_content


# --- Running a build (used by `zlhcg build`) ---------------------------------------------------------

class GeneratorFailed(Exception):
    """MkDocs stopped; the message says why."""


class _CollectWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, site_dir: Path) -> tuple[list[str], int]:
    """Runs a MkDocs build of `config_file` into `site_dir`; returns the warnings (strict mode fails on them) and
    the number of pages written."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    logger = logging.getLogger("mkdocs")
    collector = _CollectWarnings()
    logger.addHandler(collector)
    previous_level = logger.level
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        config = load_config(str(config_file), site_dir=str(site_dir))
        build(config)
    except (MkDocsException, Abort) as exc:
        details = "\n".join(collector.messages)
        raise GeneratorFailed(f"{exc}" + (f"\nMkDocs 警告：\n{details}" if details else "")) from None
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous_level)
    return collector.messages, config.plugins["zlhcg"].pages_written
