"""The page's CSS and its two small scripts (source buttons -> select event; scroll to the cited lines).

Plain strings: does not import gradio, and refers to nothing outside the machine (no web fonts, no CDN).
"""

CSS = """
.answer p { margin: 0 0 .4em 0; }
.answer a.cite { font-weight: 600; text-decoration: underline; color: #0b57d0; }
.answer.abstained { border-left: 4px solid #8a5300; background: #fff4e0; color: #3d2600; padding: .5em .75em; border-radius: 4px; }
.answer.abstained .abstained-title { font-size: 1.05em; }
.answer.generated { border-left: 4px solid #0b57d0; padding-left: .75em; }
.answer .generated-badge { font-size: .9em; color: #44474e; }
.answer.error { border-left: 4px solid #b3261e; background: #fdecea; color: #5c1410; padding: .5em .75em; border-radius: 4px; }
.rewritten { font-size: .9em; color: #44474e; font-style: italic; margin: 0 0 .4em 0; }
.sources .source { border: 1px solid #c4c7c5; border-radius: 6px; padding: .5em .75em; margin: .5em 0; background: #ffffff; color: #1f1f1f; }
.sources .source:target { outline: 3px solid #0b57d0; }
.sources h4 { margin: 0 0 .25em 0; font-size: 1em; color: #1f1f1f; }
.sources .src-meta { font-size: .85em; color: #44474e; margin: 0 0 .4em 0; }
.sources .src-text { margin: 0 0 .5em 0; padding: .4em .6em; border-left: 3px solid #c4c7c5; white-space: pre-wrap; color: #1f1f1f; }
.sources .abstained { border-left: 4px solid #8a5300; background: #fff4e0; color: #3d2600; padding: .5em .75em; }
.sources .muted, .doc-view .muted { color: #44474e; }
mark { background: #ffe066; color: #000000; padding: 0 .1em; }
button.show-doc { border: 1px solid #0b57d0; color: #0b57d0; background: #ffffff; border-radius: 4px; padding: .2em .6em; cursor: pointer; }
button.show-doc:focus-visible, a.cite:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.doc-view { max-height: 520px; overflow-y: auto; font-size: .9em; background: #ffffff; color: #1f1f1f; border: 1px solid #c4c7c5; border-radius: 6px; padding: .5em; }
.doc-view .line, .doc-view .cited { display: flex; gap: .75em; white-space: pre-wrap; }
.doc-view .ln { color: #5f6368; min-width: 3.5em; text-align: right; user-select: none; flex: none; }
.doc-view .cited { background: #e8f0fe; border-left: 4px solid #0b57d0; scroll-margin: 80px; }
.doc-view .page-break { border-top: 1px dashed #8e918f; color: #44474e; margin: .5em 0; font-size: .85em; }
.draft { background: #ffffff; color: #1f1f1f; border: 1px solid #c4c7c5; border-radius: 6px; padding: .75em 1.25em; max-width: 62em; }
.draft h2 { margin: .2em 0 .6em 0; font-size: 1.35em; color: #1f1f1f; }
.draft h3 { margin: 1.1em 0 .4em 0; font-size: 1.05em; color: #1f1f1f; border-bottom: 1px solid #e3e3e3; padding-bottom: .15em; }
.draft p, .draft li { line-height: 1.5; color: #1f1f1f; }
.draft ol.att-satser { padding-left: 1.6em; }
.draft ol.att-satser li { margin: .25em 0; }
.draft a.cite { font-weight: 600; text-decoration: underline; color: #0b57d0; padding: 0 .1em; }
.draft a.cite:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
.draft mark.placeholder { background: #fff4e0; color: #6b3d00; border: 1px dashed #8a5300; border-radius: 3px; padding: 0 .2em; font-weight: 600; }
.draft-sources ol { padding-left: 0; list-style: none; }
.draft-sources li { border: 1px solid #c4c7c5; border-radius: 6px; padding: .4em .75em; margin: .4em 0; }
.draft-sources li:target { outline: 3px solid #0b57d0; }
.draft-sources .src-meta { font-size: .9em; color: #44474e; margin: 0 0 .3em 0; }
.draft-sources .src-text { margin: 0 !important; padding: .3em .6em; border-left: 3px solid #c4c7c5; color: #1f1f1f; font-style: italic; }
.draft .to-fill { border-left: 4px solid #8a5300; background: #fffaf2; padding: .2em .75em .5em; border-radius: 4px; }
.ingest-report .skipped { border-left: 4px solid #b3261e; background: #fdecea; color: #5c1410; padding: .25em .75em; }
"""
SOURCES_JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-cite]');
  if (button) { trigger('select', {index: Number(button.dataset.cite), value: button.dataset.cite}); }
});
"""
SCROLL_JS = """() => { setTimeout(() => { const el = document.getElementById('doc-anchor');
  if (el) { el.scrollIntoView({block: 'center'}); el.focus({preventScroll: true}); } }, 50); }"""
