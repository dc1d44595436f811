#!/usr/bin/env bash
# Validates what the FHIR facade produces with someone else's code: the
# FHIR tests (crates/cli/tests/fhir.rs) write a sample of every resource
# type and a searchset Bundle, and two independent validators check each:
# the npm package `fhir` (R4 structure, cardinality, required bindings,
# unexpected properties) and the PyPI package `fhir.resources` (value
# types). Exits non-zero on any error. Installs both packages itself.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
samples="$work/samples"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check -r requirements.txt
# SQLite only: the samples are the same on both backends, and this reuses
# the test binary the suite built (same TUKIVERKKO_TEST_DATABASE_URL).
(cd "$here/../.." && TUKIVERKKO_FHIR_SAMPLES="$samples" cargo test -q -p tukiverkko --test main -- fhir::sqlite)
expected="AuditEvent Bundle CapabilityStatement CareTeam HealthcareService Organization Practitioner PractitionerRole QuestionnaireResponse ServiceRequest Task"
for kind in $expected; do
  compgen -G "$samples/$kind*.json" > /dev/null || { echo "no sample of $kind was written" >&2; exit 1; }
done
node validate.mjs "$samples"
"$work/venv/bin/python" validate.py "$samples"
