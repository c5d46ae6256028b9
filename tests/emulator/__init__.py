"""A local AWS for cloudaudit.aws tests and the demo: moto's server plus a thin layer.

The layer (see README.md here) adds the CloudTrail APIs moto lacks, corrects the
moto behaviours that would make our tests lie, records every call and injects
faults. Start it with ``python -m tests.emulator --port PORT``.
"""
