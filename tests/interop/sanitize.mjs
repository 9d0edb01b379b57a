#!/usr/bin/env node
// Differential oracle for ReturnPath.Sanitize: runs the real @workos/authkit-session@0.7.1 `sanitizeReturnPathname`
// (not exported from the package root, so it is imported from the package's own dist file).
//
//   node sanitize.mjs < cases.json   -> prints a JSON array of results
//
// cases.json: a JSON array of [input, fallback] pairs (fallback may be null for the default '/').
import { sanitizeReturnPathname } from './node_modules/@workos/authkit-session/dist/utils.js';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = cases.map(([input, fallback]) =>
  fallback === null || fallback === undefined ? sanitizeReturnPathname(input) : sanitizeReturnPathname(input, fallback));
process.stdout.write(JSON.stringify(results) + '\n');
