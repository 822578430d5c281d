"""Domain models, one module per part of the domain."""
from .org import ROLE_LABELS, Role, Unit, User, UserRole
from .plan import Area, Plan, ReportingPeriod, Target, Task

__all__ = [
    "ROLE_LABELS", "Role", "Unit", "User", "UserRole",
    "Area", "Plan", "ReportingPeriod", "Target", "Task",
]
