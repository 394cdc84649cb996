"""MND Discourse Toolkit: press briefings in, tidy pandas tables out.

Each capability is one module; the public names are re-exported here.
"""
from ._checks import ToolkitError
from .provenance import corpus_hash, provenance, versions

__version__ = "0.1.0"
