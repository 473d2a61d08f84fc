#!/usr/bin/env python3
"""tests/json_schema.py PROVSIM SRC -- configs/scenario.schema.json against
the loader. ctest json_schema; exit 77 (skipped) without python3-jsonschema.

1. The schema is a valid draft 2020-12 schema, and every key in it has a
   description.
2. Every preset names it in "$schema" and validates against it (a real
   validator: python3-jsonschema), as do the valid bases of tests/bad.
3. The schema's keys are exactly the loader's. The loader's keys come from
   its own tables (`provsim validate --list-keys`, which reports every key
   each object it enters could take), over the presets and documents built
   from the schema itself (every object with every key, one document per
   variant: limit types, latency distributions, retry policies, profile
   forms), so a key added to a table in sim/scenario/schema_*.c without the
   schema, or the other way round, fails here with its path."""
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("json_schema: python3-jsonschema is not installed: skipped")
    sys.exit(77)

prov, src = sys.argv[1], sys.argv[2]
schema_path = os.path.join(src, "configs", "scenario.schema.json")
with open(schema_path) as f:
    schema = json.load(f)
fails = []

jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)


def resolve(node):
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/$defs/"), ref
        extra = {k: v for k, v in node.items() if k != "$ref"}
        node = dict(schema["$defs"][ref[len("#/$defs/"):]], **extra)
    return node


def schema_keys(node, path, out):
    """Every key path of the schema, arrays as [] (as the loader lists them)."""
    node = resolve(node)
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        schema_keys(node["items"], path + "[]", out)
    for alt in node.get("anyOf", []):  # an object form beside a string (client.requests)
        if "properties" in resolve(alt):
            schema_keys(alt, path, out)
    for key, sub in node.get("properties", {}).items():
        p = f"{path}.{key}" if path else key
        out.add(p)
        if "description" not in resolve(sub) and "description" not in sub:
            fails.append(f"{p}: no description in the schema")
        schema_keys(sub, p, out)
    return out


def branches(node):
    return node.get("oneOf", [])


def build(node, variant, path=""):
    """A valid instance of node: examples at the leaves, every key of each
    object (of the variant's branch where there are variants). A new key
    needs an "examples" value (or an enum) that the loader accepts."""
    node = resolve(node)
    objects = [a for a in node.get("anyOf", []) if "properties" in resolve(a)]
    if objects and variant % 2:  # odd documents take the object form, so the loader enters it
        return build(objects[0], variant, path)
    if node.get("type") == "array" and isinstance(node.get("items"), dict) and "examples" not in node:
        item = resolve(node["items"])
        n = max(1, len(branches(item)))
        return [build(node["items"], j, path + "[]") for j in range(n)]
    if "properties" in node:
        props = node["properties"]
        bs = branches(node)
        keys = list(props)
        consts = {}
        if bs:
            b = bs[variant % len(bs)]
            keys = b["propertyNames"]["enum"]
            # a branch narrows a key: a const, or an enum (exponential's jitter)
            consts = {k: v["const"] if "const" in v else v["enum"][0]
                      for k, v in b.get("properties", {}).items() if "const" in v or "enum" in v}
        return {k: consts[k] if k in consts else build(props[k], variant, f"{path}.{k}" if path else k)
                for k in keys}
    if "examples" in node:
        return node["examples"][0]
    if "enum" in node:
        return node["enum"][0]
    raise SystemExit(f"json_schema: {path}: give it \"examples\" in the schema (a value the "
                     "loader accepts: this test builds documents from them)")


def loader_keys(text):
    r = subprocess.run([prov, "validate", "--list-keys", "-"], input=text.encode(),
                       capture_output=True)
    if r.returncode != 0:
        fails.append(f"a document does not load: {r.stderr.decode().strip()}\n{text}")
        return set()
    return set(r.stdout.decode().split())


configs = os.path.join(src, "configs")
presets = sorted(f for f in os.listdir(configs) if f.endswith(".json") and ".schema." not in f)
loader = set()
for name in presets:
    with open(os.path.join(configs, name)) as f:
        text = f.read()
    doc = json.loads(text)
    if doc.get("$schema") != "scenario.schema.json":
        fails.append(f"configs/{name}: \"$schema\" is not \"scenario.schema.json\"")
    for e in validator.iter_errors(doc):
        fails.append(f"configs/{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    loader |= loader_keys(text)
bad = os.path.join(src, "tests", "bad")
for name in sorted(f for f in os.listdir(bad) if f.startswith("valid-") and f.endswith(".json")):
    with open(os.path.join(bad, name)) as f:
        doc = json.load(f)
    for e in validator.iter_errors(doc):
        fails.append(f"tests/bad/{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")

nvariants = 1
def count(node):
    global nvariants
    nvariants = max(nvariants, len(branches(resolve(node))))
for d in schema["$defs"].values():
    count(d)
nvariants = max(nvariants, 2)  # the string and object forms of anyOf keys
for v in range(nvariants):
    doc = build(schema, v)
    for e in validator.iter_errors(doc):
        fails.append(f"built document {v}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    loader |= loader_keys(json.dumps(doc, indent=1))

in_schema = schema_keys(schema, "", set())
for k in sorted(loader - in_schema):
    fails.append(f"{k}: the loader knows it, the schema does not (add it to configs/scenario.schema.json)")
for k in sorted(in_schema - loader):
    fails.append(f"{k}: in the schema, unknown to the loader")
for f in fails:
    print("FAIL:", f)
print(f"json_schema: {len(presets)} presets, {nvariants} built documents, "
      f"{len(in_schema)} schema keys, {len(loader)} loader keys; {len(fails)} problems")
sys.exit(1 if fails else 0)
