"""Athena queries that really run: SELECTs over the CloudTrail log files in the emulator's S3.

moto 5.2.x stores a StartQueryExecution and answers GetQueryResults with canned (by default empty) results,
so a client that builds SQL could never be tested against data. This extension replaces the query side:

- StartQueryExecution parses the query with sqlglot (Trino, the Athena engine v3 dialect). A query
  (SELECT / WITH / UNION) is evaluated here; anything else (CREATE DATABASE, DDL) is left to moto.
- Each table reference is resolved to the Glue table in moto's glue backend of the caller's account and
  region (``db.table`` or the QueryExecutionContext database). Its files are found under the table's
  Location in the emulator's S3 (the bucket may belong to another account, as a central audit bucket does):
  with partition projection, each key is matched against ``storage.location.template`` to get its partition
  values, which must be allowed by the projection (enum values, date range up to NOW); without projection,
  Glue partitions (or the whole Location for an unpartitioned table) give the files.
- Partition pruning as Athena does it: the conjuncts of the WHERE clause that reference only partition
  columns are evaluated on each file's partition values, and only the files that pass are read. A query
  without such a predicate reads every file. DataScannedInBytes is the summed stored (compressed) size
  of the files read.
- The records (gzip or plain ``{"Records": [...]}``) are mapped to the table's lower-case columns as
  CloudTrailSerde does (nested struct fields too; a string column holding an object keeps it as a JSON
  string, e.g. requestparameters), loaded into DuckDB with the Hive types mapped (string -> VARCHAR,
  struct -> STRUCT, array -> LIST, map -> MAP), and the query, transpiled to DuckDB, runs there.
- An error fails the query (State FAILED, StateChangeReason "SYNTAX_ERROR: ...", "COLUMN_NOT_FOUND: ...",
  "TABLE_NOT_FOUND: ...", AthenaError with ErrorCategory 2 = user). A workgroup's
  BytesScannedCutoffPerQuery below the bytes the query would scan cancels it: FAILED, "Query cancelled! :
  Bytes scanned limit was exceeded", no results.
- With EnforceWorkGroupConfiguration the workgroup's OutputLocation and encryption win over the request's;
  without any output location StartQueryExecution is refused, as Athena does.
- QUEUED, then RUNNING, then SUCCEEDED / FAILED over EMULATOR_ATHENA_DELAY_S seconds (default 0.5), so a
  client must poll GetQueryExecution. On completion the CSV result is written to
  ``<OutputLocation><QueryExecutionId>.csv`` (and ``.csv.metadata``) with the workgroup's encryption.
- GetQueryResults: Athena's shape (the header row first on the first page, ColumnInfo with Athena's type
  names varchar / bigint / row / array / map ...), MaxResults (1-1000) and NextToken paging.

Tests: tests/emulator/tests/test_athena_engine.py.
"""

from __future__ import annotations

import base64
import csv
import gzip
import inspect
import io
import json
import os
import re
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator

import duckdb
import sqlglot
from moto.athena import responses as athena_responses
from moto.athena.models import AthenaBackend, athena_backends
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.exceptions import JsonRESTError
from moto.glue.models import glue_backends
from sqlglot import exp

from ..shapes import checked

AthenaResponse = athena_responses.AthenaResponse

for _name in ("start_query_execution", "get_query_execution", "get_query_results", "list_query_executions"):
    assert hasattr(AthenaResponse, _name), f"moto AthenaResponse.{_name} is gone: review athena_engine"
assert "self.work_groups" in inspect.getsource(AthenaBackend.__init__), "moto AthenaBackend.work_groups is gone: review athena_engine"

_ORIGINAL = {name: getattr(AthenaResponse, name) for name in ("start_query_execution", "get_query_execution", "get_query_results", "list_query_executions")}

USER_ERROR = 2  # AthenaError.ErrorCategory: 1 system, 2 user, 3 other
MAX_PAGE = 1000
CUTOFF_REASON = "Query cancelled! : Bytes scanned limit was exceeded"
IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get("EMULATOR_ATHENA_DELAY_S", "0.5")))
    except ValueError:
        return 0.5


class _InvalidRequest(JsonRESTError):
    code = 400

    def __init__(self, message: str) -> None:
        super().__init__("InvalidRequestException", message)


class QueryFailed(Exception):
    """A query Athena accepts and then fails: the message is its StateChangeReason."""


# Hive types -------------------------------------------------------------------------------------------

HiveType = tuple  # ("string",) | ("struct", [(name, HiveType)]) | ("array", HiveType) | ("map", HiveType, HiveType)

SCALARS = {
    "string": "VARCHAR", "varchar": "VARCHAR", "char": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "integer": "INTEGER",
    "smallint": "SMALLINT", "tinyint": "TINYINT", "boolean": "BOOLEAN", "double": "DOUBLE", "float": "FLOAT", "date": "DATE",
    "timestamp": "TIMESTAMP", "binary": "BLOB",
}


def parse_hive_type(text: str) -> HiveType:
    """The tree of a Hive type string (struct<a:string,b:array<string>>)."""
    node, rest = _parse_type(text.replace(" ", ""))
    if rest:
        raise ValueError(f"trailing text in Hive type {text!r}")
    return node


def _parse_type(text: str) -> tuple[HiveType, str]:
    lowered = text.lower()
    for kind in ("struct<", "array<", "map<"):
        if lowered.startswith(kind):
            rest = text[len(kind):]
            if kind == "struct<":
                fields: list[tuple[str, HiveType]] = []
                while not rest.startswith(">"):
                    name, rest = rest.split(":", 1)
                    child, rest = _parse_type(rest)
                    fields.append((name.lower(), child))
                    rest = rest[1:] if rest.startswith(",") else rest
                return ("struct", fields), rest[1:]
            if kind == "array<":
                child, rest = _parse_type(rest)
                return ("array", child), rest[1:]
            key, rest = _parse_type(rest)
            value, rest = _parse_type(rest[1:])
            return ("map", key, value), rest[1:]
    match = re.match(r"[a-z]+(\(\d+(,\d+)?\))?", lowered)
    if not match:
        raise ValueError(f"not a Hive type: {text!r}")
    return (match.group(0).split("(")[0],), text[match.end():]


def duckdb_type(node: HiveType) -> str:
    if node[0] == "struct":
        return "STRUCT(" + ", ".join(f'"{name}" {duckdb_type(child)}' for name, child in node[1]) + ")"
    if node[0] == "array":
        return duckdb_type(node[1]) + "[]"
    if node[0] == "map":
        return f"MAP({duckdb_type(node[1])}, {duckdb_type(node[2])})"
    return SCALARS.get(node[0], "VARCHAR")


def serde_value(value: Any, node: HiveType) -> Any:
    """A CloudTrail JSON value as CloudTrailSerde presents it in a column of type node."""
    if value is None:
        return None
    if node[0] == "struct":
        if not isinstance(value, dict):
            return None
        lowered = {str(k).lower(): v for k, v in value.items()}
        return {name: serde_value(lowered.get(name), child) for name, child in node[1]}
    if node[0] == "array":
        return [serde_value(item, node[1]) for item in value] if isinstance(value, list) else None
    if node[0] == "map":
        return {str(k): serde_value(v, node[2]) for k, v in value.items()} if isinstance(value, dict) else None
    if node[0] in ("string", "varchar", "char"):
        if isinstance(value, (dict, list)):
            return json.dumps(value, separators=(",", ":"))
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
    return value


# Tables and their files ----------------------------------------------------------------------------

class GlueTable:
    """What the engine needs of a Glue table: columns, partition keys, location, projection."""

    def __init__(self, database: str, name: str, table_input: dict[str, Any]) -> None:
        self.database, self.name = database, name
        sd = table_input.get("StorageDescriptor") or {}
        self.columns = [(c["Name"].lower(), parse_hive_type(c.get("Type") or "string")) for c in sd.get("Columns") or []]
        self.partition_keys = [(c["Name"].lower(), parse_hive_type(c.get("Type") or "string")) for c in table_input.get("PartitionKeys") or []]
        self.location = sd.get("Location") or ""
        self.parameters = {k: str(v) for k, v in (table_input.get("Parameters") or {}).items()}

    @property
    def projected(self) -> bool:
        return self.parameters.get("projection.enabled", "").lower() == "true"


def find_table(account: str, region: str, database: str, name: str) -> tuple[GlueTable, Any]:
    backend = glue_backends[account][region]
    db = backend.databases.get(database.lower()) or backend.databases.get(database)
    if db is None:
        raise QueryFailed(f"SCHEMA_NOT_FOUND: line 1:1: Schema '{database}' does not exist")
    table = db.tables.get(name.lower()) or db.tables.get(name)
    if table is None:
        raise QueryFailed(f"TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.{database}.{name}' does not exist")
    return GlueTable(database, name, table.get_version(str(table._current_version))), table


def _split_s3(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise QueryFailed(f"HIVE_METASTORE_ERROR: Table location {uri!r} is not an S3 location")
    bucket, _slash, key = uri[5:].partition("/")
    return bucket, key


def _bucket(account: str, name: str) -> Any:
    from moto.s3.models import s3_backends

    try:
        return s3_backends[account]["global"].get_bucket(name)
    except Exception:  # moto's MissingBucket: Athena fails the query, it does not refuse it
        raise QueryFailed(f"HIVE_CANNOT_OPEN_SPLIT: The specified bucket does not exist: {name}") from None


def _objects(account: str, uri: str) -> Iterator[tuple[str, Any]]:
    """(s3://bucket/key, FakeKey) of every object under uri, in key order."""
    bucket_name, prefix = _split_s3(uri)
    bucket = _bucket(account, bucket_name)
    for key_name in sorted(bucket.keys.keys()):
        if key_name.startswith(prefix) and not key_name.endswith("/"):
            key = bucket.keys.get(key_name)
            if key is not None:
                yield f"s3://{bucket_name}/{key_name}", key


JAVA_DATE = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}
JAVA_DATE_RE = {"yyyy": r"\d{4}", "MM": r"\d{2}", "dd": r"\d{2}", "HH": r"\d{2}", "mm": r"\d{2}", "ss": r"\d{2}"}
JAVA_TOKEN = re.compile(r"yyyy|MM|dd|HH|mm|ss")


def _value_regex(table: GlueTable, column: str) -> str:
    if table.parameters.get(f"projection.{column}.type") == "date":
        fmt = table.parameters.get(f"projection.{column}.format", "yyyy-MM-dd")
        parts, last = [], 0
        for token in JAVA_TOKEN.finditer(fmt):
            parts += [re.escape(fmt[last:token.start()]), JAVA_DATE_RE[token.group(0)]]
            last = token.end()
        return "".join(parts + [re.escape(fmt[last:])])
    return r"[^/]+"


def _projection_allows(table: GlueTable, column: str, value: str, today: date) -> bool:
    kind = table.parameters.get(f"projection.{column}.type")
    if kind == "enum":
        return value in [v.strip() for v in table.parameters.get(f"projection.{column}.values", "").split(",")]
    if kind == "date":
        fmt = JAVA_TOKEN.sub(lambda m: JAVA_DATE[m.group(0)], table.parameters.get(f"projection.{column}.format", "yyyy-MM-dd"))
        try:
            moment = datetime.strptime(value, fmt).date()
            low, high = (_range_end(end.strip(), fmt, today) for end in table.parameters.get(f"projection.{column}.range", "").split(",", 1))
        except ValueError:
            return False
        return low <= moment <= high
    if kind == "integer":
        try:
            low, high = (int(end) for end in table.parameters.get(f"projection.{column}.range", "").split(","))
            return low <= int(value) <= high
        except ValueError:
            return False
    return True  # injected or not projected: any value


def _range_end(text: str, fmt: str, today: date) -> date:
    relative = re.fullmatch(r"NOW(?:([+-])(\d+)(DAYS?|WEEKS?|MONTHS?|YEARS?))?", text.upper())
    if relative:
        if not relative.group(1):
            return today
        unit = relative.group(3).rstrip("S")
        days = int(relative.group(2)) * {"DAY": 1, "WEEK": 7, "MONTH": 30, "YEAR": 365}[unit]
        return today + timedelta(days=days if relative.group(1) == "+" else -days)
    return datetime.strptime(text, fmt).date()


def candidate_files(account: str, table: GlueTable, moto_table: Any) -> list[tuple[dict[str, str], str, Any]]:
    """(partition values, s3 uri, FakeKey) of every file the table could read, before pruning."""
    names = [name for name, _kind in table.partition_keys]
    if table.projected and names:
        template = table.parameters.get("storage.location.template") or table.location.rstrip("/") + "/" + "/".join(f"${{{n}}}" for n in names)
        pattern, last = [], 0
        for var in re.finditer(r"\$\{(\w+)\}", template):
            pattern += [re.escape(template[last:var.start()]), f"(?P<{var.group(1).lower()}>{_value_regex(table, var.group(1).lower())})"]
            last = var.end()
        regex = re.compile("^" + "".join(pattern + [re.escape(template[last:].rstrip("/"))]) + "/")
        fixed_prefix = template.split("${", 1)[0]
        today = datetime.now(timezone.utc).date()
        found = []
        for uri, key in _objects(account, fixed_prefix):
            match = regex.match(uri)
            if not match:
                continue
            values = {n: match.group(n) for n in names if n in match.groupdict()}
            if all(_projection_allows(table, n, v, today) for n, v in values.items()):
                found.append((values, uri, key))
        return found
    if names:
        found = []
        for partition in getattr(moto_table, "partitions", {}).values():
            spec = partition.partition_input
            values = dict(zip(names, spec.get("Values") or []))
            location = (spec.get("StorageDescriptor") or {}).get("Location") or ""
            if location:
                found += [(values, uri, key) for uri, key in _objects(account, location.rstrip("/") + "/")]
        return found
    return [({}, uri, key) for uri, key in _objects(account, table.location.rstrip("/") + "/")] if table.location else []


def prune(files: list[tuple[dict[str, str], str, Any]], conjuncts: list[exp.Expression], partition_names: list[str]) -> list[tuple[dict[str, str], str, Any]]:
    """The files whose partition values satisfy every partition-only conjunct (evaluated by DuckDB)."""
    if not conjuncts or not files:
        return files
    con = duckdb.connect()
    try:
        cols = ", ".join(f'"{n}" VARCHAR' for n in partition_names)
        con.execute(f'CREATE TABLE parts (__i INTEGER, {cols})')
        marks = ", ".join("?" * (len(partition_names) + 1))
        con.executemany(f"INSERT INTO parts VALUES ({marks})",
                        [[i] + [values.get(n) for n in partition_names] for i, (values, _uri, _key) in enumerate(files)])
        keep = set(range(len(files)))
        for conjunct in conjuncts:
            try:
                rows = con.execute(f"SELECT __i FROM parts WHERE {conjunct.sql(dialect='duckdb')}").fetchall()
            except duckdb.Error:
                continue  # not prunable here; the query itself reports any error
            keep &= {row[0] for row in rows}
        return [f for i, f in enumerate(files) if i in keep]
    finally:
        con.close()


def partition_conjuncts(table_node: exp.Table, partition_names: list[str]) -> list[exp.Expression]:
    """The conjuncts of the WHERE of the SELECT reading table_node that reference only its partition columns (unqualified copies)."""
    select = table_node.find_ancestor(exp.Select)
    where = select.args.get("where") if select is not None else None
    if where is None:
        return []
    alias = table_node.alias_or_name.lower()
    found = []
    for conjunct in where.this.flatten() if isinstance(where.this, exp.And) else [where.this]:
        columns = list(conjunct.find_all(exp.Column))
        if not columns or conjunct.find(exp.Subquery, exp.Select) is not None:
            continue
        if all(c.name.lower() in partition_names and (not c.table or c.table.lower() == alias) for c in columns):
            copy = conjunct.copy()
            for column in copy.find_all(exp.Column):
                column.set("table", None)
                column.set("db", None)
                column.set("catalog", None)
            found.append(copy)
    return found


def read_records(key: Any, uri: str) -> list[dict[str, Any]]:
    raw = key.value
    try:
        text = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        records = json.loads(text).get("Records")
    except (OSError, EOFError, ValueError, AttributeError) as e:
        raise QueryFailed(f"HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException: {e} (file {uri})") from None
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


# Running a query ------------------------------------------------------------------------------------

class QueryRun:
    """One StartQueryExecution evaluated here: the result or the failure is decided at start, shown after the delay."""

    def __init__(self, account: str, region: str, query: str, context: dict[str, Any], workgroup: str, result_config: dict[str, Any]) -> None:
        self.id = str(uuid.uuid4())
        self.account, self.region = account, region
        self.query, self.context, self.workgroup = query, context, workgroup
        self.result_config = result_config
        self.submitted = time.time()
        self.delay = _delay()
        self.columns: list[tuple[str, str]] = []
        self.rows: list[list[str | None]] = []
        self.error: str | None = None
        self.scanned = 0
        self.engine_ms = 0
        self.written = False

    @property
    def state(self) -> str:
        elapsed = time.time() - self.submitted
        if elapsed < self.delay / 2:
            return "QUEUED"
        if elapsed < self.delay:
            return "RUNNING"
        return "FAILED" if self.error else "SUCCEEDED"

    def refresh(self) -> str:
        state = self.state
        if state == "SUCCEEDED" and not self.written:
            self.written = True
            write_result(self)
        return state


def evaluate(run: QueryRun, tree: exp.Expression, cutoff: int | None) -> None:
    started = time.time()
    database = (run.context.get("Database") or "default").lower()
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    con = duckdb.connect()
    try:
        tables: dict[tuple[str, str], str] = {}
        loads: list[tuple[str, GlueTable, list[tuple[dict[str, str], str, Any]]]] = []
        for node in list(tree.find_all(exp.Table)):
            if not node.db and node.name.lower() in ctes:
                continue
            ref = ((node.db or database).lower(), node.name.lower())
            table, moto_table = find_table(run.account, run.region, *ref)
            names = [n for n, _kind in table.partition_keys]
            files = prune(candidate_files(run.account, table, moto_table), partition_conjuncts(node, names), names)
            local = tables.setdefault(ref, f"__t{len(tables)}")
            loads.append((local, table, files))
            alias = node.alias_or_name
            node.set("catalog", None)
            node.set("db", None)
            node.set("this", exp.to_identifier(local))
            if not node.alias:
                node.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
        by_local: dict[str, tuple[GlueTable, dict[str, tuple[dict[str, str], str, Any]]]] = {}
        for local, table, files in loads:  # a table read twice reads the union of both prunings
            entry = by_local.setdefault(local, (table, {}))
            entry[1].update({uri: f for f in files for uri in [f[1]]})
        run.scanned = sum(f[2].size for _table, files in by_local.values() for f in files.values())
        if cutoff is not None and run.scanned > cutoff:
            raise QueryFailed(CUTOFF_REASON)
        for local, (table, files) in by_local.items():
            load_table(con, local, table, list(files.values()))
        try:
            sql = tree.sql(dialect="duckdb")
            relation = con.sql(sql)
            if relation is None:
                raise QueryFailed("NOT_SUPPORTED: only queries are evaluated")
            run.columns = [(_column_name(name, i), athena_type(str(kind))) for i, (name, kind) in enumerate(zip(relation.columns, relation.types))]
            run.rows = [[render(v) for v in row] for row in relation.fetchall()]
        except duckdb.Error as e:
            raise QueryFailed(duckdb_reason(e)) from None
    finally:
        con.close()
        run.engine_ms = int((time.time() - started) * 1000) + 1


def load_table(con: Any, local: str, table: GlueTable, files: list[tuple[dict[str, str], str, Any]]) -> None:
    schema = table.columns + [(n, kind) for n, kind in table.partition_keys if n not in dict(table.columns)]
    con.execute(f'CREATE TABLE "{local}" (' + ", ".join(f'"{n}" {duckdb_type(kind)}' for n, kind in schema) + ")")
    rows = []
    for values, uri, key in files:
        for record in read_records(key, uri):
            lowered = {str(k).lower(): v for k, v in record.items()}
            row = {n: serde_value(lowered.get(n), kind) for n, kind in table.columns}
            row.update({n: values.get(n) for n, _kind in table.partition_keys})
            rows.append(row)
    if not rows:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    try:
        columns = "{" + ", ".join(f"'{n}': '{duckdb_type(kind)}'" for n, kind in schema) + "}"
        con.execute(f"INSERT INTO \"{local}\" SELECT * FROM read_json(?, format='newline_delimited', columns={columns})", [handle.name])
    finally:
        os.unlink(handle.name)


def _column_name(name: str, index: int) -> str:
    return name if IDENTIFIER_RE.match(name) else f"_col{index}"


def athena_type(kind: str) -> str:
    """Athena's ColumnInfo.Type for a DuckDB type."""
    if kind.endswith("[]"):
        return "array"
    head = kind.split("(", 1)[0].upper()
    return {
        "VARCHAR": "varchar", "BIGINT": "bigint", "HUGEINT": "bigint", "INTEGER": "integer", "SMALLINT": "smallint", "TINYINT": "tinyint",
        "BOOLEAN": "boolean", "DOUBLE": "double", "FLOAT": "real", "DATE": "date", "TIMESTAMP": "timestamp",
        "TIMESTAMP WITH TIME ZONE": "timestamp with time zone", "STRUCT": "row", "MAP": "map", "DECIMAL": "decimal",
        "BLOB": "varbinary", "UBIGINT": "bigint", "UINTEGER": "bigint", "INTERVAL": "interval day to second",
    }.get(head, head.lower())


def render(value: Any) -> str | None:
    """A value as Athena prints it in a result row (rows {a=1, b=x}, arrays [a, b], maps {k=v})."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={render(v) if v is not None else 'null'}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render(v) if v is not None else "null" for v in value) + "]"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    return str(value)


def duckdb_reason(error: Exception) -> str:
    text = str(error)
    column = re.search(r'Referenced column "([^"]+)" not found', text)
    if column:
        return f"COLUMN_NOT_FOUND: line 1:1: Column '{column.group(1)}' cannot be resolved or requester is not authorized to access requested resources"
    function = re.search(r"Scalar Function with name (\w+) does not exist", text)
    if function:
        return f"FUNCTION_NOT_FOUND: line 1:1: Function '{function.group(1)}' not registered"
    first = text.splitlines()[0] if text else type(error).__name__
    if isinstance(error, (duckdb.ParserException, duckdb.BinderException)):
        return f"SYNTAX_ERROR: line 1:1: {first}"
    if isinstance(error, duckdb.ConversionException):
        return f"INVALID_CAST_ARGUMENT: {first}"
    return f"GENERIC_USER_ERROR: {first}"


def parse_error_reason(error: sqlglot.errors.ParseError) -> str:
    detail = error.errors[0] if error.errors else {}
    where = f"line {detail.get('line', 1)}:{detail.get('col', 1)}: " if detail else ""
    token = detail.get("highlight")
    said = f"mismatched input '{token}'. {detail.get('description', '')}" if token else str(error).splitlines()[0]
    return f"SYNTAX_ERROR: {where}{said}".rstrip()


def write_result(run: QueryRun) -> None:
    """The CSV result (and its .metadata) at the output location, with the configured encryption."""
    from moto.s3.models import s3_backends

    location = run.result_config.get("OutputLocation")
    if not location:
        return
    bucket_name, key = _split_s3(location)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([name for name, _kind in run.columns])
    for row in run.rows:
        writer.writerow(["" if v is None else v for v in row])
    encryption = run.result_config.get("EncryptionConfiguration") or {}
    option = encryption.get("EncryptionOption")
    kwargs: dict[str, Any] = {}
    if option == "SSE_S3":
        kwargs["encryption"] = "AES256"
    elif option == "SSE_KMS":
        kwargs.update(encryption="aws:kms", kms_key_id=encryption.get("KmsKey"))
    backend = s3_backends[run.account]["global"]
    try:
        backend.put_object(bucket_name, key, buffer.getvalue().encode("utf-8"), **kwargs)
        metadata = json.dumps({"columns": [{"name": n, "type": t} for n, t in run.columns]}).encode("utf-8")
        backend.put_object(bucket_name, key + ".metadata", metadata, **kwargs)
    except Exception:  # a missing results bucket: Athena would fail the query; the rows stay readable here
        pass


# Backend and handlers ------------------------------------------------------------------------------

class AthenaEngineBackend(BaseBackend):
    """The query runs evaluated here, per account and region (reset with moto's state)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.runs: dict[str, QueryRun] = {}


engine_backends = BackendDict(AthenaEngineBackend, "athena")


def is_query(text: str) -> tuple[exp.Expression | None, str | None]:
    """(parsed query, None), (None, syntax error reason) or (None, None) when moto should handle it (DDL and the like)."""
    if re.match(r"^\s*(CREATE|DROP|ALTER|MSCK|SHOW|DESCRIBE|USE|INSERT|UNLOAD|REPAIR)\b", text or "", re.IGNORECASE):
        return None, None
    try:
        tree = sqlglot.parse_one(text or "", read="trino")
    except sqlglot.errors.ParseError as e:
        return None, parse_error_reason(e)
    except sqlglot.errors.SqlglotError as e:
        return None, f"SYNTAX_ERROR: {str(e).splitlines()[0]}"
    if isinstance(tree, exp.Query):
        return tree, None
    return None, None


def effective_result_config(workgroup: Any, requested: dict[str, Any] | None) -> dict[str, Any]:
    config = (workgroup.configuration if workgroup is not None else {}) or {}
    group = dict(config.get("ResultConfiguration") or {})
    if config.get("EnforceWorkGroupConfiguration", True) and group.get("OutputLocation"):
        chosen = group
    else:
        chosen = {**group, **(requested or {})}
    return {k: v for k, v in chosen.items() if k in ("OutputLocation", "EncryptionConfiguration", "ExpectedBucketOwner", "AclConfiguration")}


@checked("athena", "StartQueryExecution")
def start_query_execution(self: AthenaResponse) -> Any:
    body = json.loads(self.body or "{}")
    tree, syntax = is_query(body.get("QueryString", ""))
    if tree is None and syntax is None:
        return _ORIGINAL["start_query_execution"](self)
    name = body.get("WorkGroup") or "primary"
    workgroup = athena_backends[self.current_account][self.region].work_groups.get(name)
    if workgroup is None:
        raise _InvalidRequest("WorkGroup does not exist")
    result_config = effective_result_config(workgroup, body.get("ResultConfiguration"))
    if not result_config.get("OutputLocation"):
        raise _InvalidRequest(
            "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input."
        )
    if not result_config["OutputLocation"].endswith("/"):
        result_config["OutputLocation"] += "/"
    context = dict(body.get("QueryExecutionContext") or {})
    run = QueryRun(self.current_account, self.region, body["QueryString"], context, name, result_config)
    result_config["OutputLocation"] += f"{run.id}.csv"
    if syntax is not None:
        run.error = syntax
    else:
        cutoff = (workgroup.configuration or {}).get("BytesScannedCutoffPerQuery")
        try:
            evaluate(run, tree, int(cutoff) if cutoff else None)
        except QueryFailed as e:
            run.error, run.columns, run.rows = str(e), [], []
    # The states run from the answer on: a slow evaluation (a cold DuckDB) must not skip QUEUED and RUNNING.
    run.submitted = time.time()
    engine_backends[self.current_account][self.region].runs[run.id] = run
    return json.dumps({"QueryExecutionId": run.id})


def _run(self: AthenaResponse, query_id: str | None) -> QueryRun | None:
    """The run evaluated here; None for moto's own (DDL) executions; an unknown id is refused as Athena refuses it."""
    run = engine_backends[self.current_account][self.region].runs.get(query_id or "")
    if run is None and (query_id or "") not in athena_backends[self.current_account][self.region].executions:
        raise _InvalidRequest(f"QueryExecution {query_id} was not found")
    return run


@checked("athena", "GetQueryExecution")
def get_query_execution(self: AthenaResponse) -> Any:
    body = json.loads(self.body or "{}")
    run = _run(self, body.get("QueryExecutionId"))
    if run is None:
        return _ORIGINAL["get_query_execution"](self)
    state = run.refresh()
    done = state in ("SUCCEEDED", "FAILED")
    total_ms = int(run.delay * 1000) if done else int((time.time() - run.submitted) * 1000)
    status: dict[str, Any] = {"State": state, "SubmissionDateTime": run.submitted}
    if done:
        status["CompletionDateTime"] = run.submitted + run.delay
    if state == "FAILED":
        status["StateChangeReason"] = run.error
        status["AthenaError"] = {"ErrorCategory": USER_ERROR, "Retryable": False, "ErrorMessage": run.error}
    context = {"Catalog": "awsdatacatalog", **run.context}
    execution = {
        "QueryExecutionId": run.id,
        "Query": run.query,
        "StatementType": "DML",
        "SubstatementType": "SELECT",
        "ResultConfiguration": run.result_config,
        "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration": {"Enabled": False}},
        "QueryExecutionContext": context,
        "Status": status,
        "Statistics": {
            "EngineExecutionTimeInMillis": run.engine_ms if done else 0,
            "DataScannedInBytes": run.scanned if done else 0,
            "TotalExecutionTimeInMillis": total_ms,
            "QueryQueueTimeInMillis": int(run.delay * 500),
            "ServicePreProcessingTimeInMillis": 5,
            "QueryPlanningTimeInMillis": min(run.engine_ms, 10) if done else 0,
            "ServiceProcessingTimeInMillis": 5 if done else 0,
            "ResultReuseInformation": {"ReusedPreviousResult": False},
        },
        "WorkGroup": run.workgroup,
        "EngineVersion": {"SelectedEngineVersion": "AUTO", "EffectiveEngineVersion": "Athena engine version 3"},
    }
    return json.dumps({"QueryExecution": execution})


def encode_token(query_id: str, offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([query_id, offset]).encode()).decode()


def decode_token(token: str, query_id: str) -> int:
    try:
        owner, offset = json.loads(base64.urlsafe_b64decode(token.encode()))
        if owner == query_id and isinstance(offset, int) and offset >= 0:
            return offset
    except (ValueError, TypeError):
        pass
    raise _InvalidRequest("The NextToken is not valid.")


@checked("athena", "GetQueryResults")
def get_query_results(self: AthenaResponse) -> Any:
    body = json.loads(self.body or "{}")
    run = _run(self, body.get("QueryExecutionId"))
    if run is None:
        return _ORIGINAL["get_query_results"](self)
    state = run.refresh()
    if state != "SUCCEEDED":
        if state == "FAILED":
            raise _InvalidRequest(f"Query did not finish successfully. Final query state: FAILED\n{run.error}")
        raise _InvalidRequest(f"Query has not yet finished. Current state: {state}")
    size = body.get("MaxResults") or MAX_PAGE
    if not isinstance(size, int) or not 1 <= size <= MAX_PAGE:
        raise _InvalidRequest(f"MaxResults must be between 1 and {MAX_PAGE}")
    rows = [[name for name, _kind in run.columns]] + run.rows
    start = decode_token(body["NextToken"], run.id) if body.get("NextToken") else 0
    page = rows[start:start + size]
    info = [
        {
            "CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": name, "Label": name, "Type": kind,
            "Precision": {"varchar": 2147483647, "bigint": 19, "integer": 10, "double": 17}.get(kind, 0), "Scale": 0,
            "Nullable": "UNKNOWN", "CaseSensitive": kind == "varchar",
        }
        for name, kind in run.columns
    ]
    data: dict[str, Any] = {
        "UpdateCount": 0,
        "ResultSet": {
            "Rows": [{"Data": [{"VarCharValue": v} if v is not None else {} for v in row]} for row in page],
            "ResultSetMetadata": {"ColumnInfo": info},
        },
    }
    if start + size < len(rows):
        data["NextToken"] = encode_token(run.id, start + size)
    return json.dumps(data)


@checked("athena", "ListQueryExecutions")
def list_query_executions(self: AthenaResponse) -> Any:
    body = json.loads(self.body or "{}")
    moto_ids = json.loads(_ORIGINAL["list_query_executions"](self))["QueryExecutionIds"]
    runs = engine_backends[self.current_account][self.region].runs.values()
    mine = [r.id for r in sorted(runs, key=lambda r: r.submitted, reverse=True) if not body.get("WorkGroup") or r.workgroup == body["WorkGroup"]]
    return json.dumps({"QueryExecutionIds": mine + moto_ids})


HANDLERS = {
    "start_query_execution": start_query_execution,
    "get_query_execution": get_query_execution,
    "get_query_results": get_query_results,
    "list_query_executions": list_query_executions,
}


def install() -> None:
    for name, handler in HANDLERS.items():
        setattr(AthenaResponse, name, handler)


install()
