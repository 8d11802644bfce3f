"""Understanding a question, the first step of answering it, before search: every later step
(search/, the rest of answer/, service.py) reads the Question this returns, never the text.

parse.py: Question.parse and what it reads from the text; followup.py: a follow-up made whole with
the previous question; content.py: the content terms and their weights.
Does not: search, score or compose.
"""

from assistant.answer.question.followup import rewrite_followup
from assistant.answer.question.parse import (
    Corpus,
    NoCorpus,
    Question,
    QuestionPart,
    asked_detail,
    part_detail,
)

__all__ = [
    "Corpus",
    "NoCorpus",
    "Question",
    "QuestionPart",
    "asked_detail",
    "part_detail",
    "rewrite_followup",
]
