"""The default emulation scoring scheme (scoring_default.yaml), loaded by init-db for a plan that has none."""
from sqlalchemy import select

from ..extensions import db
from ..models import ScoringScheme

DEFAULT_NOTE = "Bộ tiêu chí mặc định (đề xuất của issue #5, có thể điều chỉnh)."


def load_default_scheme(plan):
    """Create version 1 from the YAML unless the plan has a scheme. Returns (scheme or None, created)."""
    from ..ranking import schemes  # the ranking package registers routes; import it only when used
    if db.session.scalar(select(ScoringScheme.id).where(ScoringScheme.plan_id == plan.id).limit(1)) is not None:
        return None, False
    data = schemes.read_default()
    broken = schemes.problems(data["criteria"], data["bands"], data.get("min_top_tasks", 3))
    if broken:
        raise ValueError(f"scoring_default.yaml breaks the scheme rules: {broken}")
    scheme = schemes.build(plan.id, 1, data, note=DEFAULT_NOTE)
    db.session.add(scheme)
    db.session.commit()
    return scheme, True
