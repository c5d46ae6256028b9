"""The guides' examples use real names, and their links lead somewhere (pure Python, no Ansible run).

For every Markdown file of docs/ (and README.md):

- every fenced ```yaml block parses;
- every task (or module_defaults entry, or cloudaudit.aws.resources step) calling ``cloudaudit.aws.<module>`` uses only
  options of that module's DOCUMENTATION (its doc fragments included), sub-options included where the docs list them;
- every role of the collection included with vars (``roles:`` entries, ``include_role`` / ``import_role`` tasks), and
  every ``<role>_*`` variable of a group_vars-style block, uses only inputs of roles/<role>/meta/argument_specs.yml;
- an inventory config of ``plugin: cloudaudit.aws.organization`` uses only that plugin's options;
- every relative link points to an existing file;
- one ``#`` title per file, and heading levels that do not skip a level (the docs site is built from these files).
"""

from __future__ import annotations

import ast
import re
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import ansible
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COLLECTION = "cloudaudit.aws."
MARKDOWN = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
ROLES = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "meta" / "argument_specs.yml").exists())
INCLUDE_ROLE = {"ansible.builtin.include_role", "ansible.builtin.import_role", "include_role", "import_role"}
# Keys of a `roles:` entry that are keywords, not role parameters.
ROLE_ENTRY_KEYWORDS = {
    "role", "name", "vars", "tags", "when", "become", "become_user", "become_method", "delegate_to", "environment", "ignore_errors",
    "any_errors_fatal", "check_mode", "diff", "no_log", "module_defaults", "collections", "connection", "debugger", "apply",
    "public", "tasks_from", "vars_from", "defaults_from", "handlers_from", "allow_duplicates", "rolespec_validate", "throttle",
}  # fmt: skip
STEP_KEYS = {"name", "register", "when"}
OTHER_AWS_MODULE = re.compile(r"^(amazon|community)\.aws\.[a-z0-9_]+$")
# Host variables the organization inventory sets (or a static inventory gives), not inputs of the account role.
HOST_VARIABLES = {"account_id", "account_name", "account_email", "account_tags"}

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>```+|~~~+)[ \t]*(?P<info>[^\n`]*)$")
_LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+\S")


# --- Markdown ------------------------------------------------------------------------------------------------------


def _blocks(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line, info string, text) of every fenced code block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent, start = m["fence"], m["indent"], i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        yield start + 1, m["info"].strip().lower(), "\n".join(body)
        i += 1


def _prose(path: Path, keep_code: bool = False) -> list[tuple[int, str]]:
    """(line number, text) of the lines outside fenced code blocks, inline code removed unless keep_code."""
    out, in_fence, fence = [], False, ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _FENCE.match(line)
        if m and (not in_fence or line.strip().startswith(fence)):
            in_fence, fence = (not in_fence), m["fence"]
            continue
        if not in_fence:
            out.append((number, line if keep_code else re.sub(r"`[^`]*`", "", line)))
    return out


def _yaml_blocks() -> list[tuple[str, int, str]]:
    return [(str(p.relative_to(ROOT)), line, text) for p in MARKDOWN for line, info, text in _blocks(p) if info.split()[:1] in (["yaml"], ["yml"])]


# --- What the collection documents -----------------------------------------------------------------------------------


def _constants(path: Path) -> dict[str, str]:
    """The string constants of a Python file (DOCUMENTATION, a doc fragment's attributes), without importing it.

    An f-string keeps its literal parts (amazon.aws.boto3 builds its fragment in __init__ from the minimum versions)."""
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Assign):
            continue
        value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            text = value.value
        elif isinstance(value, ast.JoinedStr):
            text = "".join(part.value if isinstance(part, ast.Constant) else "0" for part in value.values)
        elif isinstance(value, ast.Name) and value.id in found:
            text = found[value.id]
        else:
            continue
        for target in node.targets:
            if isinstance(target, (ast.Name, ast.Attribute)):
                found[target.id if isinstance(target, ast.Name) else target.attr] = text
    return found


def _collection_roots() -> list[Path]:
    """Where amazon.aws may be: beside ansible-core (the `ansible` package ships it), then the usual collection paths."""
    site = Path(ansible.__file__).resolve().parent.parent
    return [
        site / "ansible_collections",
        Path.home() / ".ansible" / "collections" / "ansible_collections",
        Path("/usr/share/ansible/collections/ansible_collections"),
    ]


@lru_cache(maxsize=None)
def _fragment(name: str) -> dict[str, Any]:
    """The options of a doc fragment: cloudaudit.aws._x[.VARIANT], amazon.aws.x[.variant], or ansible-core's own (constructed)."""
    parts = name.split(".")
    if len(parts) == 1:
        path, attr = Path(ansible.__file__).resolve().parent / "plugins" / "doc_fragments" / f"{parts[0]}.py", "DOCUMENTATION"
    else:
        namespace, collection, fragment, *variant = parts
        attr = variant[0].upper() if variant else "DOCUMENTATION"
        if (namespace, collection) == ("cloudaudit", "aws"):
            path = ROOT / "plugins" / "doc_fragments" / f"{fragment}.py"
        else:
            candidates = [root / namespace / collection / "plugins" / "doc_fragments" / f"{fragment}.py" for root in _collection_roots()]
            existing = [c for c in candidates if c.exists()]
            assert existing, f"doc fragment {name} not found in {[str(c) for c in candidates]} (amazon.aws comes with the `ansible` package)"
            path = existing[0]
    constants = _constants(path)
    # community.aws.sns_topic names amazon.aws.tags.modules, a variant amazon.aws.tags does not have: take its DOCUMENTATION.
    text = constants.get(attr) if parts[:2] == ["cloudaudit", "aws"] else constants.get(attr, constants.get("DOCUMENTATION"))
    assert text is not None, f"doc fragment {name}: {path} has no {attr}"
    return (yaml.safe_load(text) or {}).get("options") or {}


@lru_cache(maxsize=None)
def _plugin_options(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(_constants(path)["DOCUMENTATION"])
    options = dict(doc.get("options") or {})
    for name in doc.get("extends_documentation_fragment") or []:
        for key, spec in _fragment(name).items():
            options.setdefault(key, spec)
    return options


def _other_module_options(fqcn: str) -> dict[str, Any] | None:
    """The options of an amazon.aws or community.aws module (the guides map their tasks to ours), None when there is none."""
    namespace, collection, module = fqcn.split(".")
    for root in _collection_roots():
        path = root / namespace / collection / "plugins" / "modules" / f"{module}.py"
        if path.exists():
            return _plugin_options(path)
    return None


def _module_options(module: str) -> dict[str, Any] | None:
    path = ROOT / "plugins" / "modules" / f"{module}.py"
    return _plugin_options(path) if path.exists() else None


@lru_cache(maxsize=None)
def _role_options(role: str) -> dict[str, Any] | None:
    path = ROOT / "roles" / role / "meta" / "argument_specs.yml"
    if not path.exists():
        return None
    return yaml.safe_load(path.read_text())["argument_specs"]["main"].get("options") or {}


# --- Checking a parsed block -----------------------------------------------------------------------------------------


def _check_options(value: Any, options: dict[str, Any], where: str, errors: list[str], aliases: bool = True) -> None:
    """Every key of value is an option (or alias) of options; sub-options checked where the spec lists them."""
    if not isinstance(value, dict):
        return
    names = {}
    for key, spec in options.items():
        names[key] = spec
        for alias in (spec or {}).get("aliases") or [] if aliases else []:
            names[alias] = spec
    for key, sub in value.items():
        if key not in names:
            errors.append(f"{where}: unknown option {key!r} (known: {', '.join(sorted(options))})")
            continue
        spec = names[key] or {}
        nested = spec.get("suboptions") or spec.get("options")
        if not nested:
            continue
        if isinstance(sub, dict):
            _check_options(sub, nested, f"{where}.{key}", errors)
        elif isinstance(sub, list):
            for i, element in enumerate(sub):
                _check_options(element, nested, f"{where}.{key}[{i}]", errors)


def _check_role(role_fqcn: Any, variables: Any, where: str, errors: list[str]) -> None:
    if not (isinstance(role_fqcn, str) and role_fqcn.startswith(COLLECTION)):
        return
    role = role_fqcn[len(COLLECTION) :]
    options = _role_options(role)
    if options is None:
        errors.append(f"{where}: {role_fqcn} is not a role of the collection (roles: {', '.join(ROLES)})")
        return
    _check_options(variables or {}, options, f"{where} role {role_fqcn}", errors, aliases=False)


def _walk(node: Any, where: str, errors: list[str], counts: dict[str, int]) -> None:
    if isinstance(node, list):
        for i, item in enumerate(node):
            _walk(item, f"{where}[{i}]", errors, counts)
        return
    if not isinstance(node, dict):
        return
    modules = [k for k in node if isinstance(k, str) and k.startswith(COLLECTION)]
    for key in modules:
        options = _module_options(key[len(COLLECTION) :])
        if options is None:
            errors.append(f"{where}: {key} is not a module of the collection")
            continue
        counts["module"] += 1
        args = node[key]
        if args is not None and not isinstance(args, dict):
            errors.append(f"{where}: {key} takes a dictionary of options, got {type(args).__name__} {args!r}")
        _check_options(args, options, f"{where} {key}", errors)
        if key == COLLECTION + "resources" and isinstance(args, dict):
            for i, step in enumerate(args.get("steps") or []):
                step_modules = [k for k in step if isinstance(k, str) and k.startswith(COLLECTION)] if isinstance(step, dict) else []
                extra = set(step) - set(step_modules) - STEP_KEYS if isinstance(step, dict) else set()
                if len(step_modules) != 1 or extra:
                    errors.append(f"{where} {key}.steps[{i}]: a step is one module of the collection plus {sorted(STEP_KEYS)}, got {step!r}")
    for key in [k for k in node if isinstance(k, str) and OTHER_AWS_MODULE.match(k)]:
        options = _other_module_options(key)
        if options is None:
            errors.append(f"{where}: {key} is not a module of {key.rsplit('.', 1)[0]} (as the `ansible` package ships it)")
            continue
        counts["module"] += 1
        _check_options(node[key], options, f"{where} {key}", errors)
    for key in INCLUDE_ROLE & set(node):
        spec = node[key]
        if isinstance(spec, dict):
            counts["role"] += 1
            _check_role(spec.get("name"), node.get("vars"), where, errors)
    if "role" in node and "hosts" not in node:
        counts["role"] += 1
        inline = {k: v for k, v in node.items() if k not in ROLE_ENTRY_KEYWORDS}
        _check_role(node["role"], {**inline, **(node.get("vars") or {})}, where, errors)
    for value in node.values():
        _walk(value, where, errors, counts)


def _check_document(doc: Any, where: str, errors: list[str], counts: dict[str, int]) -> None:
    if isinstance(doc, dict) and doc.get("plugin") == COLLECTION + "organization":
        counts["inventory"] += 1
        _check_options(doc, _plugin_options(ROOT / "plugins" / "inventory" / "organization.py"), f"{where} inventory", errors)
        return
    if isinstance(doc, dict) and "hosts" not in doc:
        # group_vars style: the inputs of the collection's roles, by their prefix.
        for key in doc:
            role = next((r for r in ROLES if isinstance(key, str) and key.startswith(f"{r}_")), None)
            if role and key not in HOST_VARIABLES:
                counts["variable"] += 1
                if key not in (_role_options(role) or {}):
                    errors.append(f"{where}: {key!r} is not an input of role cloudaudit.aws.{role}")
    _walk(doc, where, errors, counts)


# --- Tests -----------------------------------------------------------------------------------------------------------


def test_the_docs_have_yaml_examples() -> None:
    guides = sorted(p.name for p in (ROOT / "docs" / "guides").glob("*.md"))
    assert len(guides) >= 8, f"docs/guides holds {guides}"
    assert len(_yaml_blocks()) >= 20, "fewer YAML examples than expected: is the fence pattern still right?"


@pytest.mark.parametrize(("path", "line", "text"), _yaml_blocks(), ids=lambda v: str(v) if not isinstance(v, str) or "\n" not in v else "")
def test_yaml_example_uses_real_names(path: str, line: int, text: str) -> None:
    where = f"{path}:{line}"
    try:
        documents = list(yaml.safe_load_all(textwrap.dedent(text)))
    except yaml.YAMLError as e:
        pytest.fail(f"{where}: the YAML block does not parse: {e}")
    errors: list[str] = []
    counts = {"module": 0, "role": 0, "inventory": 0, "variable": 0}
    for doc in documents:
        _check_document(doc, where, errors, counts)
    assert errors == [], "\n".join(errors)


def test_the_checker_finds_a_wrong_name() -> None:
    """The check can fail: a wrong module option, sub-option, role input and group variable are each reported."""
    play = yaml.safe_load(textwrap.dedent("""
            - hosts: localhost
              roles:
                - role: cloudaudit.aws.trail
                  vars: {trail_name: a, trail_bucket: b}
              tasks:
                - cloudaudit.aws.s3_audit_bucket: {name: a, retention: {glacier_days: 90}, lifecycle: []}
                - ansible.builtin.include_role: {name: cloudaudit.aws.audit_bucket}
                  vars: {audit_bucket_name: a, audit_bucket_lifecycle: {}}
                - cloudaudit.aws.resources:
                    steps:
                      - cloudaudit.aws.cloudtrail_trail: {name: t, s3_bucket: b}
                - cloudaudit.aws.no_such_module: {}
                - amazon.aws.sns_topic: {name: a}
                - amazon.aws.cloudtrail: {name: a, include_global_service_event: true}
            """))
    errors: list[str] = []
    counts = {"module": 0, "role": 0, "inventory": 0, "variable": 0}
    _walk(play, "play", errors, counts)
    _check_document({"baseline_log_archive": "1", "baseline_profile": "cis", "account_id": "1"}, "group_vars", errors, counts)
    wrong = [
        "'trail_bucket'",
        "'glacier_days'",
        "'lifecycle'",
        "'audit_bucket_lifecycle'",
        "'s3_bucket'",
        "no_such_module",
        "amazon.aws.sns_topic",
        "'include_global_service_event'",
        "'baseline_log_archive'",
    ]
    for name in wrong:
        assert any(name in e for e in errors), f"{name} not reported: {errors}"
    assert len(errors) == len(wrong), errors


def _anchors(path: Path) -> set[str]:
    """The GitHub-style anchors of a Markdown file's headings (lower case, punctuation dropped, spaces as hyphens)."""
    found = set()
    for line in (text for number, text in _prose(path, keep_code=True)):
        if _HEADING.match(line):
            text = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return found


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_to_files(path: Path) -> None:
    broken = []
    for number, line in _prose(path):
        for m in _LINK.finditer(line):
            target, anchor = (m["target"].split("#", 1) + [""])[:2]
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue
            resolved = path.parent / target if target else path
            if not resolved.exists():
                broken.append(f"{path.relative_to(ROOT)}:{number}: [{m['text']}]({m['target']}) -> {resolved.resolve()} does not exist")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
                broken.append(f"{path.relative_to(ROOT)}:{number}: [{m['text']}]({m['target']}): no heading #{anchor} in {resolved.name}")
    assert broken == [], "\n".join(broken)


@pytest.mark.parametrize("path", [p for p in MARKDOWN if p.parent != ROOT], ids=lambda p: str(p.relative_to(ROOT)))
def test_one_title_and_headings_in_order(path: Path) -> None:
    levels = [(number, len(m["marks"])) for number, line in _prose(path) if (m := _HEADING.match(line))]
    assert levels and levels[0][1] == 1, f"{path.relative_to(ROOT)}: the first heading is not a `#` title: {levels[:1]}"
    titles = [number for number, level in levels if level == 1]
    assert len(titles) == 1, f"{path.relative_to(ROOT)}: {len(titles)} `#` titles (lines {titles})"
    skips = [f"line {n}: level {b} after {a}" for (unused, a), (n, b) in zip(levels, levels[1:]) if b > a + 1]
    assert skips == [], f"{path.relative_to(ROOT)}: heading levels skip: {skips}"
