"""A deterministic fake Clever v3.0 district for tests, the demo and benchmarks.

``SandboxDistrict.generate(seed)`` builds the data, ``SandboxAPI`` answers requests for it
(in process through ``api.transport()``, or over loopback HTTP through ``serve``), ``Faults``
switches failures on and off, and ``demo_platform_teachers`` gives the demo platform's
hand-made accounts that matching has to reconcile.
"""

from cleverwizard.sandbox.api import SandboxAPI
from cleverwizard.sandbox.demo import DEMO_SEED, DEMO_STATES, demo_api, demo_district
from cleverwizard.sandbox.district import SandboxDistrict
from cleverwizard.sandbox.faults import Faults
from cleverwizard.sandbox.platform_seed import (
    DEMO_ACCOUNT_KINDS,
    DEMO_COURSE_KINDS,
    demo_platform_courses,
    demo_platform_teachers,
)
from cleverwizard.sandbox.server import SandboxServer, serve

__all__ = [
    "DEMO_ACCOUNT_KINDS",
    "DEMO_COURSE_KINDS",
    "DEMO_SEED",
    "DEMO_STATES",
    "Faults",
    "SandboxAPI",
    "SandboxDistrict",
    "SandboxServer",
    "demo_api",
    "demo_district",
    "demo_platform_courses",
    "demo_platform_teachers",
    "serve",
]
