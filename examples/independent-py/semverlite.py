"""An independent take on version ranges: tuples and a table of predicates."""

from dataclasses import dataclass, field
from functools import total_ordering
import operator


@total_ordering
@dataclass(frozen=True)
class Release:
    numbers: tuple
    tags: tuple = field(default=())

    @classmethod
    def of(cls, spec):
        core, _, tag = spec.lstrip("v").partition("-")
        pieces = core.split(".")
        if len(pieces) != 3 or not all(p.isdigit() for p in pieces):
            raise ValueError("not a release: %r" % spec)
        return cls(tuple(int(p) for p in pieces), tuple(tag.split(".")) if tag else ())

    def _key(self):
        # releases sort after their pre-releases; numeric tags before textual ones
        tag_key = tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in self.tags)
        return self.numbers, not self.tags, tag_key

    def __lt__(self, other):
        return self._key() < other._key()

    def bump(self, level):
        index = ("major", "minor", "patch").index(level)
        numbers = list(self.numbers[:index + 1]) + [0] * (2 - index)
        numbers[index] += 1
        return Release(tuple(numbers))


PREDICATES = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
              "=": operator.eq, "": operator.eq}


def constraint(token):
    if token[0] in "^~":
        low = Release.of(token[1:])
        level = "minor" if token[0] == "~" or low.numbers[0] == 0 else "major"
        high = low.bump(level)
        return [(operator.ge, low), (operator.lt, high)]
    symbol = token[:2] if token[:2] in PREDICATES else token[:1] if token[:1] in PREDICATES else ""
    return [(PREDICATES[symbol], Release.of(token[len(symbol):]))]


def allowed(spec, ranges):
    release = Release.of(spec)
    checks = [c for token in ranges.split() for c in constraint(token)]
    if not checks:
        raise ValueError("empty range")
    return all(test(release, bound) for test, bound in checks)


def newest(specs, ranges):
    fitting = sorted((Release.of(s) for s in specs if allowed(s, ranges)), reverse=True)
    if not fitting:
        return None
    top = fitting[0]
    text = ".".join(map(str, top.numbers))
    return text + ("-" + ".".join(top.tags) if top.tags else "")
