'use strict';
// Comparators and ranges: ">=1.2.3 <2.0.0", "^1.2.3", "~1.2.3".
const { Version } = require('./version');

const OPERATORS = ['>=', '<=', '>', '<', '='];

function parseComparator(text) {
  for (const op of OPERATORS) {
    if (text.startsWith(op)) {
      return { operator: op, version: new Version(text.slice(op.length)) };
    }
  }
  return { operator: '=', version: new Version(text) };
}

function testComparator(comparator, version) {
  const order = version.compare(comparator.version);
  switch (comparator.operator) {
    case '>=': return order >= 0;
    case '<=': return order <= 0;
    case '>': return order > 0;
    case '<': return order < 0;
    default: return order === 0;
  }
}

// ^1.2.3 := >=1.2.3 <2.0.0, ^0.2.3 := >=0.2.3 <0.3.0
function replaceCaret(text) {
  const base = new Version(text.slice(1));
  let upper;
  if (base.major !== 0) {
    upper = `${base.major + 1}.0.0`;
  } else if (base.minor !== 0) {
    upper = `0.${base.minor + 1}.0`;
  } else {
    upper = `0.0.${base.patch + 1}`;
  }
  return [`>=${base}`, `<${upper}`];
}

// ~1.2.3 := >=1.2.3 <1.3.0
function replaceTilde(text) {
  const base = new Version(text.slice(1));
  return [`>=${base}`, `<${base.major}.${base.minor + 1}.0`];
}

function parseRange(range) {
  const comparators = [];
  for (const part of range.trim().split(/\s+/)) {
    if (part.startsWith('^')) {
      comparators.push(...replaceCaret(part).map(parseComparator));
    } else if (part.startsWith('~')) {
      comparators.push(...replaceTilde(part).map(parseComparator));
    } else if (part.length > 0) {
      comparators.push(parseComparator(part));
    }
  }
  if (comparators.length === 0) {
    throw new TypeError(`Invalid range: ${range}`);
  }
  return comparators;
}

function satisfies(version, range) {
  const parsed = typeof version === 'string' ? new Version(version) : version;
  return parseRange(range).every((comparator) => testComparator(comparator, parsed));
}

function maxSatisfying(versions, range) {
  let best = null;
  for (const text of versions) {
    if (!satisfies(text, range)) {
      continue;
    }
    const candidate = new Version(text);
    if (best === null || candidate.compare(best) > 0) {
      best = candidate;
    }
  }
  return best === null ? null : best.toString();
}

module.exports = { parseRange, satisfies, maxSatisfying, replaceCaret, replaceTilde };
