#!/usr/bin/env bash
# Validates what the FHIR facade produces with someone else's code: the
# FHIR tests (crates/cli/tests/fhir.rs) write a sample of every resource
# type and a searchset Bundle, and the npm package `fhir` (R4 structure,
# types, cardinality, required bindings, unexpected properties) checks
# each. Exits non-zero on any error. Installs its npm package itself.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error

samples=$(mktemp -d)
trap 'rm -rf "$samples"' EXIT
# SQLite only: the samples are the same on both backends, and this reuses
# the test binary the suite built (same TUKIVERKKO_TEST_DATABASE_URL).
(cd "$here/../.." && TUKIVERKKO_FHIR_SAMPLES="$samples" cargo test -q -p tukiverkko --test main -- fhir::sqlite)
expected="AuditEvent Bundle CapabilityStatement CareTeam HealthcareService Organization Practitioner PractitionerRole QuestionnaireResponse ServiceRequest Task"
for kind in $expected; do
  compgen -G "$samples/$kind*.json" > /dev/null || { echo "no sample of $kind was written" >&2; exit 1; }
done
node validate.mjs "$samples"
