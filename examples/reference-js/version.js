'use strict';
// Version parsing and comparison for minisemver.

const VERSION_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;
const MAX_LENGTH = 256;

class Version {
  constructor(text) {
    if (text.length > MAX_LENGTH) {
      throw new TypeError(`version is longer than ${MAX_LENGTH} characters`);
    }
    const match = VERSION_PATTERN.exec(text.trim());
    if (!match) {
      throw new TypeError(`Invalid Version: ${text}`);
    }
    this.raw = text;
    this.major = Number(match[1]);
    this.minor = Number(match[2]);
    this.patch = Number(match[3]);
    // prerelease identifiers compare numerically when they are numbers
    this.prerelease = match[4] ? match[4].split('.').map(toIdentifier) : [];
  }

  compareMain(other) {
    return compareIdentifiers(this.major, other.major) ||
      compareIdentifiers(this.minor, other.minor) ||
      compareIdentifiers(this.patch, other.patch);
  }

  comparePre(other) {
    // a version without prerelease has higher precedence
    if (this.prerelease.length && !other.prerelease.length) {
      return -1;
    } else if (!this.prerelease.length && other.prerelease.length) {
      return 1;
    }
    let i = 0;
    do {
      const a = this.prerelease[i];
      const b = other.prerelease[i];
      if (a === undefined && b === undefined) {
        return 0;
      } else if (b === undefined) {
        return 1;
      } else if (a === undefined) {
        return -1;
      } else if (a !== b) {
        return compareIdentifiers(a, b);
      }
    } while (++i);
    return 0;
  }

  compare(other) {
    return this.compareMain(other) || this.comparePre(other);
  }

  increment(release) {
    switch (release) {
      case 'major':
        this.major++;
        this.minor = 0;
        this.patch = 0;
        break;
      case 'minor':
        this.minor++;
        this.patch = 0;
        break;
      case 'patch':
        this.patch++;
        break;
      default:
        throw new Error(`invalid increment argument: ${release}`);
    }
    this.prerelease = [];
    return this;
  }

  toString() {
    const main = `${this.major}.${this.minor}.${this.patch}`;
    return this.prerelease.length ? `${main}-${this.prerelease.join('.')}` : main;
  }
}

function toIdentifier(part) {
  return /^\d+$/.test(part) ? Number(part) : part;
}

function compareIdentifiers(a, b) {
  const anum = typeof a === 'number';
  const bnum = typeof b === 'number';
  if (anum && !bnum) {
    return -1;
  }
  if (bnum && !anum) {
    return 1;
  }
  return a === b ? 0 : a < b ? -1 : 1;
}

module.exports = { Version, compareIdentifiers, MAX_LENGTH };
