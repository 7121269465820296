"""derive: was this code translated from that code?

>>> import derive
>>> report = derive.compare("path/to/reference", "path/to/suspect")
>>> report.verdict["label"]
"""

__version__ = "0.1.0"


def compare(*args, **kwargs):
    """See ``derive.pipeline.compare``: returns the report model (``derive.report.Report``)."""
    from .pipeline import compare as _compare

    return _compare(*args, **kwargs)


__all__ = ["compare", "__version__"]
