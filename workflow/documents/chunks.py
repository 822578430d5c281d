"""A long task annex cut into pieces of about equal length that are laid out side by side (pool.py).

A piece is the annex's own template with part of its rows: the first piece carries the annex heading;
each later one starts a new page under the repeated table header, and an area cut in two goes on under
its heading marked "(tiếp theo)". The later pieces are laid out without page numbers; theirs are laid
over them once the earlier pieces' pages are counted (pages.py), so the numbers run on."""
CONTINUED = " (tiếp theo)"


def pieces(context, rows_per_piece, workers):
    """The contexts of the pieces the annex of `context["task_areas"]` is laid out in; [] when it is
    short enough for one piece (or there is one worker)."""
    groups = context.get("task_areas") or []
    rows = sum(len(g["tasks"]) for g in groups)
    count = min(workers, -(-rows // max(1, rows_per_piece)))
    if count < 2:
        return []
    return [{**context, "task_areas": part, "continued": index > 0, "page_numbers": index == 0}
            for index, part in enumerate(split_areas(groups, count))]


def split_areas(groups, count):
    """The area groups cut into `count` runs of rows as equal as can be, in order."""
    rows = sum(len(g["tasks"]) for g in groups)
    size = -(-rows // count)
    parts, current, room = [], [], size
    for group in groups:
        tasks, heading = group["tasks"], group["heading"]
        if not tasks:  # an area with no task keeps its heading, as in the annex laid out whole
            current.append(group)
        while tasks:
            taken, tasks = tasks[:room], tasks[room:]
            current.append({**group, "heading": heading, "tasks": taken})
            room -= len(taken)
            heading = group["heading"] + CONTINUED
            if room == 0:
                parts.append(current)
                current, room = [], size
    if current:
        parts.append(current)
    return parts
