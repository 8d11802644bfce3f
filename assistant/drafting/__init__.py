"""Decision drafts (tjänsteskrivelse with "Förslag till beslut") from the corpus' own wording.

The organisation is resolved with the gazetteer; the strategy its län is asked to adopt is found by
scanning the indexed chunks for adoption att-satser ("Att anta …", "Att fastställa …"); each drafted
sentence that comes from or rests on a source carries a verified citation whose quote is the source
span verbatim. What the corpus cannot know is a visible placeholder, never invented.

Modules, in the direction data flows (each imports only from those before it):

    organisation  name → Organisation (gazetteer only)
    passages      chunk → citable Passages
    strategies    chunks → adoptable Strategies; query → the one for an organisation's län
    citations     Passage → verified, numbered Citation
    wording       source item → att-satser with the organisation filled in
    context       DraftContext shared by the section builders; deciding body; decision wording
    proposal, description, basis, recipients    one tjänsteskrivelse section each
    compose       draft_decision → DraftResult
    render        DraftResult → Markdown / .docx (reads only the DraftResult)

Does not: write new policy wording, pick a deciding body the sources do not name, or turn errors
into messages (cli/ / ui/ do that).
"""

from assistant.answers import DraftResult
from assistant.drafting.compose import PLACEHOLDERS, draft_decision
from assistant.drafting.organisation import resolve_organisation
from assistant.drafting.render import to_docx, to_markdown

__all__ = [
    "PLACEHOLDERS",
    "DraftResult",
    "draft_decision",
    "resolve_organisation",
    "to_docx",
    "to_markdown",
]
