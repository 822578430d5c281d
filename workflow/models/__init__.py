"""Domain models, one module per part of the domain."""
from .consolidated import ConsolidatedReport, ConsolidatedSection
from .history import Evidence, ItemHistory, Notification
from .items import (DOSSIER_COUNTS, NARRATIVE, QUALITY_GRADES, TASK_STATUSES, DossierRow, ReportSection, TargetActual,
                    TaskContribution, TaskResult, UnitReport)
from .org import ROLE_LABELS, Role, Unit, User, UserRole
from .plan import Area, Plan, ReportingPeriod, Target, Task

ITEM_MODELS = {model.KIND: model for model in (TaskResult, UnitReport, ConsolidatedReport)}
UNIT_ITEM_MODELS = (TaskResult, UnitReport)  # what units submit; the consolidated report is VHXH's

__all__ = [
    "ROLE_LABELS", "Role", "Unit", "User", "UserRole",
    "Area", "Plan", "ReportingPeriod", "Target", "Task",
    "DOSSIER_COUNTS", "NARRATIVE", "QUALITY_GRADES", "TASK_STATUSES", "DossierRow", "ReportSection", "TargetActual",
    "TaskContribution", "TaskResult", "UnitReport", "ITEM_MODELS",
    "Evidence", "ItemHistory", "Notification", "ConsolidatedReport", "ConsolidatedSection", "UNIT_ITEM_MODELS",
]
from .scoring import BASE_KINDS, CRITERION_KINDS, SCALE_KINDS, ScoringBand, ScoringCriterion, ScoringScheme  # noqa: E402

__all__ += ["BASE_KINDS", "CRITERION_KINDS", "SCALE_KINDS", "ScoringBand", "ScoringCriterion", "ScoringScheme"]
from .assessment import (INITIATIVE_KINDS, AssessmentLine, Initiative, RankingSheet,  # noqa: E402
                         SelfAssessment)

ITEM_MODELS.update({model.KIND: model for model in (SelfAssessment, RankingSheet)})
__all__ += ["INITIATIVE_KINDS", "AssessmentLine", "Initiative", "RankingSheet", "SelfAssessment"]
