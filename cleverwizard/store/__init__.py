"""The platform's roster store: TinyDB on an atomic storage, a write lock, a schema version.

Import from here: ``from cleverwizard.store import RosterStore, Student, StoreBusy``.
"""

from cleverwizard.store.errors import StoreBusy, StoreCorrupt, StoreError, StoreSchemaError
from cleverwizard.store.models import (
    SCHEMA_VERSION,
    Account,
    AccountSource,
    AccountStatus,
    Course,
    CourseMethod,
    MatchDecision,
    MatchMethod,
    Meta,
    Problem,
    Run,
    RunCounts,
    RunKind,
    Section,
    Site,
    Student,
    Teacher,
    now_iso,
)
from cleverwizard.store.repository import DB_FILE_NAME, DEFAULT_LOCK_TIMEOUT, RosterStore
from cleverwizard.store.storage import AtomicJSONStorage
from cleverwizard.store.transaction import StoreTransaction

__all__ = [
    "DB_FILE_NAME",
    "DEFAULT_LOCK_TIMEOUT",
    "SCHEMA_VERSION",
    "Account",
    "AccountSource",
    "AccountStatus",
    "AtomicJSONStorage",
    "Course",
    "CourseMethod",
    "MatchDecision",
    "MatchMethod",
    "Meta",
    "Problem",
    "RosterStore",
    "Run",
    "RunCounts",
    "RunKind",
    "Section",
    "Site",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "StoreSchemaError",
    "StoreTransaction",
    "Student",
    "Teacher",
    "now_iso",
]
