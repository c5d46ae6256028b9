"""python -m tests.emulator [serve] --port PORT | calls ... | reset | fault ...

serve (the default) runs the emulator on 127.0.0.1 until killed; the other
commands talk to a running one (--url, or EMULATOR_URL).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys

from tests.emulator.faults import KINDS


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        argv.insert(0, "serve")
    parser = argparse.ArgumentParser(prog="python -m tests.emulator")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the emulator until killed")
    serve.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=int(os.environ.get("EMULATOR_PORT", 5000)))
    url_default = os.environ.get("EMULATOR_URL", "http://127.0.0.1:5000")
    calls = sub.add_parser("calls", help="print recorded calls (JSON lines) or a summary")
    calls.add_argument("--url", default=url_default)
    calls.add_argument("--summary", action="store_true")
    calls.add_argument("--writes", action="store_true", help="only mutating calls")
    calls.add_argument("--since", type=int)
    calls.add_argument("--account")
    calls.add_argument("--region")
    calls.add_argument("--service")
    calls.add_argument("--clear", action="store_true", help="forget the recorded calls")
    reset = sub.add_parser("reset", help="wipe all state, calls and faults")
    reset.add_argument("--url", default=url_default)
    fault = sub.add_parser("fault", help="add a fault rule, or --clear them")
    fault.add_argument("--url", default=url_default)
    fault.add_argument("kind", nargs="?", choices=KINDS)
    fault.add_argument("--operation", default="*", help="glob on service:Operation, e.g. 'cloudtrail:Update*'")
    fault.add_argument("--rate", type=float, default=1.0)
    fault.add_argument("--count", type=int)
    fault.add_argument("--latency-ms", type=int, default=0)
    fault.add_argument("--clear", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "serve":
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("the emulator only binds to loopback")
        from .server import EmulatorServer

        server = EmulatorServer(args.host, args.port)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        print(f"emulator listening on {server.url}", flush=True)
        try:
            server.serve_forever()
        except (KeyboardInterrupt, SystemExit):
            pass
        return 0

    from .client import EmulatorClient

    client = EmulatorClient(args.url)
    if args.command == "reset":
        client.reset()
    elif args.command == "calls":
        if args.clear:
            client.reset_calls()
            return 0
        filters = {"since": args.since, "account": args.account, "region": args.region, "service": args.service}
        if args.writes:
            filters["mutating"] = True
        if args.summary:
            print(json.dumps(client.summary(**filters), indent=2))
        else:
            for call in client.calls(**filters):
                print(json.dumps(call, default=str))
    elif args.command == "fault":
        if args.clear:
            client.clear_faults()
        elif not args.kind:
            parser.error("fault: give a kind or --clear")
        else:
            print(json.dumps(client.add_fault(args.kind, args.operation, args.rate, args.count, args.latency_ms)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
