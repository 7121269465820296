"""Version parsing and comparison for minisemver (a port of the JavaScript package)."""

import re

VERSION_PATTERN = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$")
MAX_LENGTH = 256


class Version:
    def __init__(self, text):
        if len(text) > MAX_LENGTH:
            raise TypeError(f"version is longer than {MAX_LENGTH} characters")
        match = VERSION_PATTERN.match(text.strip())
        if not match:
            raise TypeError(f"Invalid Version: {text}")
        self.raw = text
        self.major = int(match.group(1))
        self.minor = int(match.group(2))
        self.patch = int(match.group(3))
        # prerelease identifiers compare numerically when they are numbers
        self.prerelease = [to_identifier(p) for p in match.group(4).split(".")] if match.group(4) else []

    def compare_main(self, other):
        return (compare_identifiers(self.major, other.major)
                or compare_identifiers(self.minor, other.minor)
                or compare_identifiers(self.patch, other.patch))

    def compare_pre(self, other):
        # a version without prerelease has higher precedence
        if self.prerelease and not other.prerelease:
            return -1
        elif not self.prerelease and other.prerelease:
            return 1
        i = 0
        while True:
            a = self.prerelease[i] if i < len(self.prerelease) else None
            b = other.prerelease[i] if i < len(other.prerelease) else None
            if a is None and b is None:
                return 0
            elif b is None:
                return 1
            elif a is None:
                return -1
            elif a != b:
                return compare_identifiers(a, b)
            i += 1

    def compare(self, other):
        return self.compare_main(other) or self.compare_pre(other)

    def increment(self, release):
        if release == "major":
            self.major += 1
            self.minor = 0
            self.patch = 0
        elif release == "minor":
            self.minor += 1
            self.patch = 0
        elif release == "patch":
            self.patch += 1
        else:
            raise ValueError(f"invalid increment argument: {release}")
        self.prerelease = []
        return self

    def __str__(self):
        main = f"{self.major}.{self.minor}.{self.patch}"
        return f"{main}-{'.'.join(map(str, self.prerelease))}" if self.prerelease else main


def to_identifier(part):
    return int(part) if part.isdigit() else part


def compare_identifiers(a, b):
    anum = isinstance(a, int)
    bnum = isinstance(b, int)
    if anum and not bnum:
        return -1
    if bnum and not anum:
        return 1
    return 0 if a == b else -1 if a < b else 1
