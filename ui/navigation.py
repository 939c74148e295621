"""The app's own page menu and the addresses it answers (docs/navigation.md).

Streamlit's menu is switched off (`client.showSidebarNavigation = false`): it would show the
file names of `pages/` in English in the first session after a server start. The sidebar menu
here is drawn with `st.page_link`, in Chinese, in the notice's sections. Every address the app
names opens its page: `/` and `/overview` both open 总览, an address no page has opens a
Chinese notice instead of Streamlit's English "Page not found" dialog, and any address with
`?kiosk=1` opens the meeting-room screen.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote, urlsplit

import streamlit as st

from ui.labels import APP_TITLE
from ui.labels import NAV_TEXT as T
from ui.safe import md
from ui.shell import is_routed


def render_menu(sections: dict[str, list[st.Page]], query_params: dict[str, str]) -> None:
    """The visible pages as links under their section headings, keeping the filters."""
    for heading, pages in sections.items():
        st.caption(heading)
        for page in pages:
            st.page_link(page, label=page.title, icon=page.icon, query_params=query_params)


def requested_path(url: str | None, base_path: str) -> str:
    """The page part of the browser's address: '' for the app's root, 'x' for `/x`."""
    if not url:
        return ""
    path = unquote(urlsplit(url).path).strip("/")
    base = base_path.strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):]
    return path.strip("/")


def not_found_page(sections: dict[str, list[st.Page]], home: st.Page) -> list[st.Page]:
    """A hidden page at the browser's address when no page has it, saying so in Chinese (and
    linking to `home`); none when the address is a page's."""
    path = requested_path(st.context.url, st.get_option("server.baseUrlPath"))
    known = {page.url_path for pages in sections.values() for page in pages}
    if not path or path in known or "/" in path:
        return []

    def render() -> None:
        st.title(T["not_found_title"])
        st.warning(T["not_found"].format(path=md(path)), icon=":material/link_off:")
        st.page_link(home, label=T["to_overview"], icon=":material/dashboard:")

    return [st.Page(render, title=T["not_found_title"], url_path=path, visibility="hidden")]


def at_this_address(page: st.Page, script: str) -> list[st.Page]:
    """`page`, and when the browser's address is another one, `script` at that address too
    (hidden): the meeting-room screen answers at any address that carries `kiosk=1`, such as a
    page's own link with it, instead of Streamlit's English "Page not found" dialog."""
    path = requested_path(st.context.url, st.get_option("server.baseUrlPath"))
    if not path or path == page.url_path or "/" in path:
        return [page]
    return [page, st.Page(script, title=page.title, icon=page.icon, url_path=path,
                          visibility="hidden")]


def stop_page(render: Callable[[], None]) -> None:
    """Show `render` instead of any page and stop the run (a login page, a database error).

    Before the menu exists, it is shown as the page at the browser's address through
    `st.navigation`, as every page is: so a run that stops early also ends Streamlit's legacy
    `pages/` handling (the launchers' warm-up relies on it, docs/navigation.md), and no address
    gets Streamlit's English "Page not found" dialog. Inside a page it is simply drawn."""
    if not is_routed():
        path = requested_path(st.context.url, st.get_option("server.baseUrlPath"))
        pages = [st.Page(render, title=APP_TITLE, default=True, url_path="")]
        if path and "/" not in path:
            pages.append(st.Page(render, title=APP_TITLE, url_path=path, visibility="hidden"))
        st.navigation(pages, position="hidden").run()
    else:
        render()
    st.stop()
