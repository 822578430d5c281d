"""Domain models, one module per part of the domain. Which models are workflow items, and how each
moves, is workflow/kinds.py's registry, not a list here."""
from .state import State
from .org import ROLE_LABELS, Role, Unit, User, UserRole, Ward
from .plan import Area, Plan, ReportingPeriod, Target, Task
from .items import (DOSSIER_COUNTS, DOSSIER_PARTS, DOSSIER_SUMS, NARRATIVE, QUALITY_GRADES, TASK_STATUSES,
                    DossierRow, ReportSection, TargetActual, TaskContribution, TaskResult, UnitReport,
                    dossier_row_problems, dossier_totals)
from .history import EVIDENCE_TYPES, Evidence, ItemHistory, Notification
from .consolidated import ConsolidatedReport, ConsolidatedSection
from .scoring import BASE_KINDS, CRITERION_KINDS, SCALE_KINDS, ScoringBand, ScoringCriterion, ScoringScheme
from .assessment import INITIATIVE_KINDS, AssessmentLine, Initiative, RankingSheet, SelfAssessment
from .issuance import DOC_TYPES, Delegation, RegisterCounter, RegisterEntry
from .mail import MAIL_CATEGORIES, UNSTOPPABLE, MailOptOut, OutboxMessage, ReminderPolicy
from .governance import SchemeProposal
from .search import SearchEntry
from .revision import Revision
from .holiday import Holiday
from .nomination import NOMINEE_KINDS, CommendationDecision, Nomination, NominationEntry

__all__ = [
    "State",
    "ROLE_LABELS", "Role", "Unit", "User", "UserRole", "Ward",
    "Area", "Plan", "ReportingPeriod", "Target", "Task",
    "DOSSIER_COUNTS", "DOSSIER_PARTS", "DOSSIER_SUMS", "NARRATIVE", "QUALITY_GRADES", "TASK_STATUSES", "DossierRow", "ReportSection", "TargetActual",
    "TaskContribution", "TaskResult", "UnitReport", "dossier_row_problems", "dossier_totals",
    "EVIDENCE_TYPES", "Evidence", "ItemHistory", "Notification", "ConsolidatedReport", "ConsolidatedSection",
    "BASE_KINDS", "CRITERION_KINDS", "SCALE_KINDS", "ScoringBand", "ScoringCriterion", "ScoringScheme",
    "INITIATIVE_KINDS", "AssessmentLine", "Initiative", "RankingSheet", "SelfAssessment",
    "DOC_TYPES", "Delegation", "RegisterCounter", "RegisterEntry",
    "MAIL_CATEGORIES", "UNSTOPPABLE", "MailOptOut", "OutboxMessage", "ReminderPolicy",
    "SchemeProposal", "SearchEntry", "Revision", "Holiday",
    "NOMINEE_KINDS", "CommendationDecision", "Nomination", "NominationEntry",
]
