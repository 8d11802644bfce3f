"""Browser UI: ``serve(settings, host, port)`` starts the page that ``app.build_app(assistant)`` builds.

Modules, each importing only from the ones listed before it:
    labels.py         interface text, Swedish (default) and English
    render.py         answers as HTML for the chat (plain functions, like all up to style.py)
    sources.py        the sources panel and the document viewer as HTML, the quotes marked
    export.py         an answer as Markdown or a Word file
    drafts.py         a decision draft as HTML, its [n] markers linked and placeholders marked
    documents_tab.py  the corpus table's rows, copying uploads in, the upload report
    corpus.py         filter choices; CorpusView, the page's cached view of the index
    style.py          the page's CSS and scripts
    tempfiles.py      one temporary root for downloads, old folders removed, all of it at exit
    login.py          LoginThrottle: a growing delay per client after failed logins, a lockout
    actions.py        PageActions: one method per event handler (imports gradio)
    draft_actions.py  DraftActions: the Drafting tab's event handlers (imports gradio)
    draft_tab.py      draft_tab: the Drafting tab laid out, its events wired (imports gradio)
    app.py            build_app: the page laid out, its events wired (imports gradio)
    serve.py          login rules, warm-up, launch

Does not: rank, answer, draft or parse documents; every question and every upload goes through
``Assistant``, every draft through ``assistant.drafting``. Loads nothing from outside the machine.
"""

import os

# subtle: gradio reads this when it is imported; analytics would call out of the machine. It is set
# here because the package runs first, before any of its modules can import gradio.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.ui.serve import serve  # noqa: E402

__all__ = ["serve"]
