#!/usr/bin/env python3
"""Checks the plugin message schemas in this folder and validates the examples against them.

    python3 check_schemas.py [-v]

Exits 0 when everything holds, 1 when something does not, 2 when jsonschema is missing.
Needs only the standard library and jsonschema (Debian 12: python3-jsonschema 4.10; newer
releases with the `referencing` library work too). Nothing is fetched from the network:
every $ref resolves inside this folder.

What it checks:
  1. every schema file (every *.json outside examples/) is JSON, declares draft 2020-12,
     has the $id its path gives (https://ordersvc.example/osp/1/<path>) and passes the
     draft's metaschema;
  2. every $ref in every schema resolves;
  3. every operation has <interface>/<operation>.request.json and .response.json: the
     operations listed below plus any in host/src/platform/plugins/plugin_operations.cpp when this
     runs from a source tree; and no operation file exists for an unknown operation;
  4. every example validates: examples/<interface>/<operation>[.<variant>].request.json
     and .response.json against the operation's schema, and the "examples" of each
     operation schema against that schema; base64 members decode;
  5. strictness: each example with one unknown top-level member added must fail.

If the installed jsonschema has no draft 2020-12 validator (before 4.0) the script says so,
validates with the newest draft it has and skips check 5 (older drafts do not know
unevaluatedProperties, so the payment results would look open).
"""

import base64
import binascii
import copy
import datetime
import json
import os
import re
import sys
import urllib.parse

try:
    import jsonschema
except ImportError:  # pragma: no cover
    sys.stderr.write("check_schemas: the Python module jsonschema is missing "
                     "(Debian: apt-get install python3-jsonschema)\n")
    sys.exit(2)

try:  # jsonschema >= 4.18
    import referencing
    import referencing.jsonschema
    HAVE_REFERENCING = True
except ImportError:  # jsonschema 4.10 (Debian 12) and older: RefResolver
    HAVE_REFERENCING = False

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_URI = "https://ordersvc.example/osp/1/"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# Every operation of every interface (host/src/platform/plugins/plugin_operations.cpp names them).
OPERATIONS = [
    "payment.create_session", "payment.authorize", "payment.capture", "payment.sale",
    "payment.void", "payment.refund", "payment.sync", "payment.webhook_identify",
    "payment.webhook_verify_and_parse",
    "carrier.list_services", "carrier.quote_rates", "carrier.create_shipment",
    "carrier.cancel_shipment", "carrier.create_return_label", "carrier.get_documents",
    "carrier.track", "carrier.parse_tracking_webhook",
    "tax.calculate", "tax.commit", "tax.void",
    "einvoice.issue", "einvoice.cancel", "einvoice.status", "einvoice.get_document",
]
HOST_OPERATIONS_CPP = os.path.join(HERE, "..", "..", "host", "src", "platform", "plugins", "plugin_operations.cpp")

EXAMPLE_NAME = re.compile(r"^(?P<op>[a-z][a-z0-9_]*)(?:\.(?P<variant>[a-z0-9_]+))?\.(?P<kind>request|response)\.json$")
SCHEMA_NAME = re.compile(r"^(?P<op>[a-z][a-z0-9_]*)\.(?P<kind>request|response)\.json$")
UNKNOWN_MEMBER = "x_check_schemas_unknown_member"

problems = []
verbose = "-v" in sys.argv[1:]


def problem(where, message):
    problems.append("%s: %s" % (where, message))


def note(message):
    if verbose:
        print(message)


def jsonschema_version():
    try:
        from importlib import metadata
        return metadata.version("jsonschema")
    except Exception:  # noqa: BLE001 - only informative
        return getattr(jsonschema, "__version__", "?")


def pick_validator_class():
    for name in ("Draft202012Validator", "Draft201909Validator", "Draft7Validator", "Draft6Validator", "Draft4Validator"):
        cls = getattr(jsonschema, name, None)
        if cls is not None:
            return name, cls
    raise SystemExit("check_schemas: this jsonschema has no usable validator class")


def format_checker():
    """The library's checker plus stdlib checks for the formats the schemas use, so the
    result does not depend on which optional format packages are installed."""
    checker = jsonschema.FormatChecker()
    rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value):
        if not isinstance(value, str):
            return True
        if not rfc3339.match(value):
            return False
        text = value[:19]
        datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S" if value[10] == "T" else "%Y-%m-%dt%H:%M:%S")
        return True

    @checker.checks("date", raises=ValueError)
    def _date(value):
        if not isinstance(value, str):
            return True
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            return False
        datetime.date.fromisoformat(value)
        return True

    @checker.checks("uri")
    def _uri(value):
        if not isinstance(value, str):
            return True
        parts = urllib.parse.urlsplit(value)
        return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*$", parts.scheme)) and " " not in value

    return checker


def load_json(path, where):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        problem(where, "not readable JSON: %s" % e)
        return None


def relpath(path):
    return os.path.relpath(path, HERE).replace(os.sep, "/")


def walk_files(top):
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        for name in sorted(filenames):
            yield os.path.join(dirpath, name)


def load_schemas():
    schemas = {}  # relative path -> schema
    for path in walk_files(HERE):
        rel = relpath(path)
        if not rel.endswith(".json") or rel.startswith("examples/"):
            continue
        schema = load_json(path, rel)
        if schema is None:
            continue
        if not isinstance(schema, dict):
            problem(rel, "a schema must be a JSON object")
            continue
        if schema.get("$schema") != DRAFT_2020_12:
            problem(rel, "$schema must be %s, not %r" % (DRAFT_2020_12, schema.get("$schema")))
        if schema.get("$id") != BASE_URI + rel:
            problem(rel, "$id must be %s, not %r" % (BASE_URI + rel, schema.get("$id")))
        schemas[rel] = schema
    return schemas


class Validation:
    """Builds validators that resolve $refs among the loaded schemas only."""

    def __init__(self, schemas, cls):
        self.schemas = schemas
        self.cls = cls
        self.checker = format_checker()
        by_uri = {BASE_URI + rel: s for rel, s in schemas.items()}
        self.by_uri = by_uri
        if HAVE_REFERENCING:
            spec = referencing.jsonschema.specification_with(DRAFT_2020_12)
            resources = [(uri, referencing.Resource(contents=s, specification=spec)) for uri, s in by_uri.items()]
            self.registry = referencing.Registry().with_resources(resources)
        else:
            def offline(uri):
                raise jsonschema.RefResolutionError("%s is not a schema of this folder (nothing is fetched)" % uri)
            self.handlers = {"http": offline, "https": offline, "file": offline}

    def validator(self, rel):
        schema = self.schemas[rel]
        if HAVE_REFERENCING:
            return self.cls(schema, registry=self.registry, format_checker=self.checker)
        resolver = jsonschema.RefResolver(BASE_URI + rel, schema, store=dict(self.by_uri), handlers=self.handlers)
        return self.cls(schema, resolver=resolver, format_checker=self.checker)

    def resolve(self, rel, ref):
        """Raises when ref, written in schema file rel, does not resolve."""
        if HAVE_REFERENCING:
            self.registry.resolver(base_uri=BASE_URI + rel).lookup(ref)
        else:
            schema = self.schemas[rel]
            resolver = jsonschema.RefResolver(BASE_URI + rel, schema, store=dict(self.by_uri), handlers=self.handlers)
            resolver.resolve(ref)


def refs_in(node, pointer=""):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield pointer + "/$ref", value
            elif key not in ("examples", "default", "const", "enum"):
                yield from refs_in(value, pointer + "/" + key.replace("~", "~0").replace("/", "~1"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from refs_in(value, "%s/%d" % (pointer, i))


def base64_problems(node, pointer=""):
    if isinstance(node, dict):
        for key, value in node.items():
            here = pointer + "/" + key
            if key.endswith("_base64") and isinstance(value, str):
                try:
                    base64.b64decode(value, validate=True)
                except (binascii.Error, ValueError) as e:
                    yield "%s is not base64: %s" % (here, e)
            else:
                yield from base64_problems(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from base64_problems(value, "%s/%d" % (pointer, i))


def error_text(error):
    where = "/".join(str(p) for p in error.absolute_path)
    return "at /%s: %s" % (where, error.message)


def check_instance(validation, schema_rel, instance, where, strict):
    validator = validation.validator(schema_rel)
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    except Exception as e:  # noqa: BLE001 - a broken schema (unresolvable $ref, bad keyword value)
        problem(where, "cannot be validated against %s: %s: %s" % (schema_rel, type(e).__name__, str(e).splitlines()[0] if str(e) else ""))
        return False
    for e in errors:
        problem(where, "does not match %s %s" % (schema_rel, error_text(e)))
    for text in base64_problems(instance):
        problem(where, text)
    if strict and not errors and isinstance(instance, dict):
        widened = copy.deepcopy(instance)
        widened[UNKNOWN_MEMBER] = 1
        if validator.is_valid(widened):
            problem(where, "%s accepts an unknown top-level member: the schema is not closed" % schema_rel)
    return not errors


def operations():
    ops = list(OPERATIONS)
    if os.path.isfile(HOST_OPERATIONS_CPP):
        with open(HOST_OPERATIONS_CPP, encoding="utf-8") as f:
            for name in re.findall(r'OSP_OPERATION\(\s*"([a-z]+\.[a-z_]+)"', f.read()):
                if name not in ops:
                    ops.append(name)
                    note("operation %s comes from plugin_operations.cpp only" % name)
    return ops


def main():
    version = jsonschema_version()
    cls_name, cls = pick_validator_class()
    full = cls_name == "Draft202012Validator"
    print("check_schemas: %s, jsonschema %s (%s, $refs via %s)" % (
        sys.executable, version, cls_name, "referencing.Registry" if HAVE_REFERENCING else "RefResolver"))
    if not full:
        print("check_schemas: WARNING: jsonschema %s cannot validate draft 2020-12; using %s, "
              "so unevaluatedProperties and $ref siblings are not enforced and the strictness "
              "check is skipped" % (version, cls_name))

    schemas = load_schemas()
    if "common.json" not in schemas:
        problem("common.json", "missing")

    # 1. metaschema
    for rel, schema in schemas.items():
        try:
            cls.check_schema(schema)
        except jsonschema.SchemaError as e:
            problem(rel, "breaks the %s metaschema %s" % (cls_name, error_text(e)))

    validation = Validation(schemas, cls)

    # 2. every $ref resolves
    for rel, schema in schemas.items():
        for pointer, ref in refs_in(schema):
            try:
                validation.resolve(rel, ref)
            except Exception as e:  # noqa: BLE001 - RefResolutionError or referencing's Unresolvable
                problem(rel, "%s %r does not resolve: %s" % (pointer, ref, str(e).splitlines()[0] if str(e) else type(e).__name__))

    # 3. one request and one response schema per operation, nothing else
    ops = operations()
    known = set()
    for op in ops:
        interface, name = op.split(".", 1)
        for kind in ("request", "response"):
            rel = "%s/%s.%s.json" % (interface, name, kind)
            known.add(rel)
            if rel not in schemas:
                problem(rel, "missing: %s has no %s schema" % (op, kind))
    for rel in schemas:
        if rel != "common.json" and rel not in known:
            problem(rel, "not the request or response schema of a known operation")

    # 4 and 5. examples
    examples = 0
    with_examples = set()
    examples_dir = os.path.join(HERE, "examples")
    if os.path.isdir(examples_dir):
        for path in walk_files(examples_dir):
            rel = relpath(path)
            parts = rel.split("/")
            match = EXAMPLE_NAME.match(parts[-1]) if len(parts) == 3 else None
            if not match:
                if not parts[-1].startswith(".") and not parts[-1].endswith(".md"):
                    problem(rel, "not named examples/<interface>/<operation>[.<variant>].(request|response).json")
                continue
            schema_rel = "%s/%s.%s.json" % (parts[1], match.group("op"), match.group("kind"))
            if schema_rel not in schemas:
                problem(rel, "no schema %s for it" % schema_rel)
                continue
            instance = load_json(path, rel)
            if instance is None:
                continue
            examples += 1
            if check_instance(validation, schema_rel, instance, rel, full):
                note("ok %s" % rel)
            with_examples.add((parts[1], match.group("op"), match.group("kind")))
    for rel, schema in schemas.items():
        if SCHEMA_NAME.match(rel.rsplit("/", 1)[-1]) and isinstance(schema.get("examples"), list):
            for i, instance in enumerate(schema["examples"]):
                examples += 1
                check_instance(validation, rel, instance, "%s#/examples/%d" % (rel, i), full)

    without = []
    for op in ops:
        interface, name = op.split(".", 1)
        if not all((interface, name, kind) in with_examples for kind in ("request", "response")):
            without.append(op)
    if without:
        note("operations without a request and response in examples/: %s" % ", ".join(without))

    for line in problems:
        print("FAIL " + line)
    print("check_schemas: %d schemas, %d operations, %d examples: %s" % (
        len(schemas), len(ops), examples, "%d problem(s)" % len(problems) if problems else "OK"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
