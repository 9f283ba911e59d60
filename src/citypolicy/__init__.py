"""citypolicy: a cited, computable knowledge base of Chinese cities' AI-industry policies."""

__version__ = "0.1.0"
