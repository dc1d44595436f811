"""Second opinion on the FHIR samples: the PyPI package fhir.resources
(pydantic models of R4B, which for every type the facade serves is R4's
structure) checks value types and unknown members, which the npm
validator lets through. Exits 1 on any error, listing each file's."""

import json
import sys
from pathlib import Path

from fhir.resources.R4B import get_fhir_model_class


def main(dirs: list[str]) -> int:
    files = errors = 0
    for folder in dirs:
        for path in sorted(Path(folder).glob("*.json")):
            files += 1
            resource = json.loads(path.read_text(encoding="utf-8"))
            try:
                get_fhir_model_class(resource["resourceType"]).model_validate(resource)
            except Exception as e:  # the models raise pydantic's ValidationError and ValueError
                errors += 1
                print(f"{path.name}: {e}", file=sys.stderr)
    print(f"fhir.resources: {files} files, {errors} with errors")
    return 0 if files and not errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if len(sys.argv) > 1 else 2)
