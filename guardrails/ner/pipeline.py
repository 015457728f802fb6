"""The spaCy pipeline definition (blank Swedish tokenizer + tok2vec + ner) and where it is stored."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from thinc.api import Config

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DEFAULT_MODEL_DIR = PACKAGE_DIR / "models" / "sv_ner"

# Small CNN: hashed embeddings of the lower-cased form, prefix, suffix and shape (so that capital letters
# help when present, but lower-case chat names can still be found), a 4-layer window encoder, and a
# transition-based NER (about 0.9M parameters, 4 MB on disk).
PIPELINE_CONFIG = """
[nlp]
lang = "sv"
pipeline = ["tok2vec","ner"]
batch_size = 256

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = {width}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [5000,1000,2500,2500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = {width}
depth = {depth}
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = {width}
upstream = "*"
"""


def build_pipeline(width: int = 64, depth: int = 4) -> Language:
    """Create the untrained pipeline from ``PIPELINE_CONFIG``."""
    from spacy import util

    config = Config().from_str(PIPELINE_CONFIG.format(width=width, depth=depth))
    return util.load_model_from_config(config, auto_fill=True, validate=True)


def make_example(nlp: Language, gold: Doc) -> Example:
    """Pair a gold ``Doc`` with an unannotated copy that has the same tokens."""
    words = [t.text for t in gold]
    spaces = [bool(t.whitespace_) for t in gold]
    return Example(Doc(nlp.vocab, words=words, spaces=spaces), gold)


def load_pipeline(path: Path = DEFAULT_MODEL_DIR) -> Language:
    """Load the trained pipeline from ``path`` (CPU)."""
    import spacy

    return spacy.load(path)
