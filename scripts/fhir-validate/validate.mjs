// Validates every FHIR resource in the folders given (JSON files, one
// resource each; a Bundle's entries are checked with it) with the `fhir`
// package's R4 validator: structure, types and cardinality, unexpected
// properties included. Exits 1 on any error, listing each.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Fhir } = require('fhir');
const fhir = new Fhir();

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node validate.mjs DIR...');
  process.exit(2);
}
let files = 0;
let errors = 0;
const types = new Set();
for (const dir of dirs) {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const resource = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    files += 1;
    types.add(resource.resourceType);
    for (const e of resource.entry ?? []) types.add(e.resource?.resourceType);
    const result = fhir.validate(resource, { errorOnUnexpected: true });
    const bad = result.messages.filter((m) => m.severity === 'error');
    errors += bad.length;
    for (const m of bad) console.error(`${name}: ${m.location ?? m.resourcePath}: ${m.message}`);
    for (const m of result.messages.filter((m) => m.severity === 'warning')) {
      console.log(`${name}: warning: ${m.location ?? m.resourcePath}: ${m.message}`);
    }
  }
}
console.log(`${files} files, types: ${[...types].sort().join(', ')}; ${errors} errors`);
process.exit(errors === 0 && files > 0 ? 0 : 1);
