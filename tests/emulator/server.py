"""The emulator's WSGI app: moto's server behind a layer that records, injects faults and serves controls."""

from __future__ import annotations

import io
import json
import re
import threading
from typing import Any, Callable, Iterable

from moto.core.base_backend import BackendDict
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

from . import extensions
from .faults import FAULTS, apply_latency, error_response
from .propagation import PROPAGATION
from .identity import resolve
from .operations import identify
from .recorder import RECORDER, summarize

CONTROL_PREFIX = "/_emulator"
_JSON_ERROR_RE = re.compile(rb'"__type"\s*:\s*"(?:[^"#]*#)?([^"]+)"')
_XML_ERROR_RE = re.compile(rb"<Code>([^<]+)</Code>")


def reset_state() -> None:
    """Wipe every account's and region's state (moto's and the extensions'), calls and faults."""
    from moto.organizations.models import organizations_backends

    BackendDict.reset()
    # moto keeps the organization membership map across BackendDict.reset(); AWS state is gone, so is it.
    organizations_backends.master_accounts.clear()
    RECORDER.reset()
    FAULTS.clear()
    FAULTS.fired_total = 0
    PROPAGATION.reset()
    extensions.reset()


# One harmless read per service the collection calls, made once at boot (see EmulatorServer.warm_up).
WARM_UP_READS = (
    ("sts", "get_caller_identity", {}),
    ("s3", "list_buckets", {}),
    ("s3", "get_bucket_policy", {"Bucket": "cloudaudit-emulator-warm-up"}),
    ("iam", "get_role", {"RoleName": "cloudaudit-emulator-warm-up"}),
    ("cloudtrail", "describe_trails", {}),
    ("logs", "describe_log_groups", {}),
    ("kms", "list_keys", {}),
    ("organizations", "describe_organization", {}),
    ("events", "list_rules", {}),
    ("sns", "list_topics", {}),
    ("cloudwatch", "describe_alarms", {}),
    ("glue", "get_databases", {}),
    ("athena", "list_work_groups", {}),
)


class EmulatorApp:
    def __init__(self) -> None:
        extensions.install()
        self.moto = DomainDispatcherApplication(create_backend_app)
        # Set once the boot's warm-up is done: /health says ok only then, so no test or benchmark meets a cold emulator.
        self.warm = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX):
            return self._control(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        headers = _Headers(environ)
        op = identify(environ["REQUEST_METHOD"], path, environ.get("QUERY_STRING", ""), headers, body)
        if op is None:
            return self.moto(environ, start_response)
        account, user_identity = resolve(op.access_key, op.region)
        rules = FAULTS.pick(op.service, op.name, account)
        apply_latency(rules)
        error_rule = next((r for r in rules if r.kind not in ("latency", "hold")), None)
        if error_rule:
            status, out_headers, out_body = error_response(error_rule, op.service)
            self._record(op, account, user_identity, status, out_body, environ)
            start_response(f"{status} ERROR", out_headers + [("Content-Length", str(len(out_body)))])
            return [out_body]
        refusal = PROPAGATION.refusal(op.service, op.name, account, op.params)
        if refusal:
            out_body = json.dumps({"__type": refusal[0], "message": refusal[1]}).encode()
            out_headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", refusal[0])]
            self._record(op, account, user_identity, 400, out_body, environ)
            start_response("400 ERROR", out_headers + [("Content-Length", str(len(out_body)))])
            return [out_body]
        captured: dict[str, Any] = {}

        def capture(status: str, response_headers: list, exc_info: Any = None) -> Any:
            captured["status"] = int(status.split()[0])
            return start_response(status, response_headers, exc_info)

        chunks = list(self.moto(environ, capture))
        out_body = b"".join(chunks)
        self._record(op, account, user_identity, captured.get("status", 200), out_body, environ)
        if captured.get("status", 200) < 300:
            PROPAGATION.note(op.service, op.name, account, op.params)
        apply_latency(rules, kind="hold")  # done and recorded; the answer is in flight
        return [out_body]

    @staticmethod
    def _record(op: Any, account: str, user_identity: dict, status: int, body: bytes, environ: dict) -> None:
        error_code = None
        if status >= 400:
            match = _JSON_ERROR_RE.search(body) or _XML_ERROR_RE.search(body)
            error_code = match.group(1).decode() if match else str(status)
        RECORDER.record(
            account=account,
            region=op.region,
            service=op.service,
            operation=op.name,
            mutating=op.mutating,
            status=status,
            error_code=error_code,
            params=op.params,
            access_key=op.access_key,
            identity=user_identity,
            source_ip=environ.get("REMOTE_ADDR", "127.0.0.1"),
            user_agent=environ.get("HTTP_USER_AGENT", ""),
        )

    def _control(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        from urllib.parse import parse_qs

        method = environ["REQUEST_METHOD"]
        path = environ["PATH_INFO"][len(CONTROL_PREFIX) :].rstrip("/") or "/"
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        payload = json.loads(environ["wsgi.input"].read(length) or b"{}") if length else {}
        status, data = 200, None
        try:
            if path == "/health":
                data = {"ok": self.warm.is_set(), "extensions": list(extensions.EXTENSIONS)}
            elif path == "/reset" and method == "POST":
                reset_state()
                data = {"reset": True}
            elif path == "/calls" and method == "GET":
                data = {"calls": [c.as_dict() for c in RECORDER.calls(**_call_filters(query))], "last_seq": RECORDER.last_seq}
            elif path == "/calls/summary" and method == "GET":
                data = summarize(RECORDER.calls(**_call_filters(query)))
                data["last_seq"] = RECORDER.last_seq
            elif path == "/calls" and method in ("DELETE", "POST"):
                RECORDER.reset()
                data = {"reset": True, "last_seq": RECORDER.last_seq}
            elif path == "/faults" and method == "GET":
                data = {"rules": FAULTS.rules(), "fired_total": FAULTS.fired_total, "propagation_refused": PROPAGATION.refused}
            elif path == "/faults" and method == "POST":
                specs = payload.get("rules", [payload]) if isinstance(payload, dict) else payload
                data = {"rules": [vars(FAULTS.add(**spec)) for spec in specs]}
            elif path == "/faults" and method == "DELETE":
                FAULTS.clear()
                data = {"rules": []}
            elif path == "/delivery/flush" and method == "POST":
                from .extensions.delivery import flush

                data = flush(account=payload.get("account"), region=payload.get("region"))
            elif path == "/propagation" and method == "GET":
                data = PROPAGATION.state()
            elif path == "/propagation" and method == "POST":
                data = PROPAGATION.configure(payload.get("seconds", 0))
            elif path == "/propagation" and method == "DELETE":
                data = PROPAGATION.configure(0)
            else:
                status, data = 404, {"error": f"no control {method} {path}"}
        except (TypeError, ValueError) as e:
            status, data = 400, {"error": str(e)}
        body = json.dumps(data, default=str).encode()
        start_response(f"{status} {'OK' if status == 200 else 'ERROR'}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


def _call_filters(query: dict[str, str]) -> dict[str, Any]:
    filters: dict[str, Any] = {k: query[k] for k in ("account", "region", "service", "operation") if k in query}
    if "since" in query:
        filters["since"] = int(query["since"])
    if "mutating" in query:
        filters["mutating"] = query["mutating"].lower() in ("1", "true", "yes")
    return filters


class _Headers:
    """Case-insensitive header access on a WSGI environ."""

    def __init__(self, environ: dict[str, Any]) -> None:
        self._environ = environ

    def get(self, name: str, default: Any = None) -> Any:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            return self._environ.get(key, default)
        return self._environ.get(f"HTTP_{key}", default)


class EmulatorServer:
    """The emulator in a thread of this process (the CLI and tests run it in a subprocess)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        from moto.moto_server.werkzeug_app import MotoRequestHandler

        self.app = EmulatorApp()
        self._server = make_server(host, port, self.app, threaded=True, request_handler=MotoRequestHandler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        self.start()
        assert self._thread is not None
        self._thread.join()

    def start(self) -> "EmulatorServer":
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.warm_up()
        return self

    def warm_up(self) -> None:
        """One read per service through the server itself, then an empty emulator; /health is ok after it.

        Why: moto builds each service's app and backends on the first request that needs them. When that first
        request comes with many others at once (ten accounts' workers starting together), the first run after
        boot was measured 12 s slower in wall time than the same run on a warmed emulator (20.5 s against 8.4 s for
        a first converge of ten accounts), a cost AWS does not have and that would be charged to whichever test
        or benchmark side came first.
        """
        import boto3

        keys = {"aws_access_key_id": "warm-up", "aws_secret_access_key": "warm-up", "region_name": "us-east-1"}
        for service, operation, params in WARM_UP_READS:
            try:
                getattr(boto3.client(service, endpoint_url=self.url, **keys), operation)(**params)
            except Exception:  # pylint: disable=broad-except  # a not-found answer warms as well as a found one
                pass
        reset_state()
        self.app.warm.set()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
