"""Charts drawn on the server as SVG (templates/dashboard/_charts.html draws what these compute): no
chart JavaScript and no library. A chart is a title, a description and shapes in a viewBox, so it scales
to a phone and prints crisp; the figures are also in a table beside it. Geometry here, markup there."""
from dataclasses import dataclass, field

# The colours as presentation attributes: WeasyPrint does not apply a page's CSS inside inline SVG.
COLOURS = {"c-track": "#eef0f3", "c-done": "#1d7a3a", "c-claimed": "#9fd1ad", "c-grid": "#c7cdd6",
           "c-tasks": "#2f6db5", "c-reports": "#c98a1b"}
WIDTH = 640
LABEL_W = 110     # the label column of a bar chart
ROW_H = 26


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str      # what the colour means (the legend says it in words)
    tip: str      # the figure in words, as the shape's <title>

    @property
    def fill(self):
        return COLOURS[self.css]


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    css: str = ""


@dataclass
class Chart:
    title: str
    description: str
    height: float
    width: float = WIDTH
    rects: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    legend: list = field(default_factory=list)   # (css, words)
    colours: dict = field(default_factory=lambda: COLOURS)


def progress_bars(title, lines, key_label):
    """One row per Progress line: done (accepted) and reported done, out of the total, with the share."""
    chart = Chart(title, f"{title}: số nhiệm vụ hoàn thành (đã tiếp nhận) và báo hoàn thành chờ duyệt trên tổng số.",
                  height=ROW_H * len(lines) + 8, legend=[("c-done", "Hoàn thành (đã tiếp nhận)"),
                                                           ("c-claimed", "Báo hoàn thành, chờ duyệt")])
    span = WIDTH - LABEL_W - 60
    for i, line in enumerate(lines):
        y = 4 + i * ROW_H
        chart.texts.append(Text(LABEL_W - 6, y + 15, key_label(line), "end", "label"))
        chart.rects.append(Rect(LABEL_W, y + 3, span, ROW_H - 8, "c-track", f"{line.total} nhiệm vụ"))
        x = LABEL_W
        for value, css, words in ((line.done, "c-done", "hoàn thành"), (line.claimed, "c-claimed", "báo hoàn thành")):
            width = span * value / line.total if line.total else 0
            if width:
                chart.rects.append(Rect(x, y + 3, width, ROW_H - 8, css, f"{value}/{line.total} {words}"))
            x += width
        chart.texts.append(Text(LABEL_W + span + 6, y + 15, f"{line.share(line.done)}%"))
    return chart


def trend_columns(title, trends):
    """Per period two columns: the share of task results and of unit reports sent on time (0–100 %)."""
    top, plot_h, bottom = 16, 150, 40
    chart = Chart(title, f"{title}: tỷ lệ kết quả nhiệm vụ và báo cáo đơn vị gửi đúng hạn theo từng kỳ.",
                  height=top + plot_h + bottom, legend=[("c-tasks", "Kết quả nhiệm vụ gửi đúng hạn"),
                                                       ("c-reports", "Báo cáo đơn vị gửi đúng hạn")])
    left = 40
    slot = (WIDTH - left) / max(len(trends), 1)
    bar_w = min(40, slot / 3)
    for percent in (0, 50, 100):
        y = top + plot_h * (1 - percent / 100)
        chart.rects.append(Rect(left, y, WIDTH - left, 0.6, "c-grid", f"{percent}%"))
        chart.texts.append(Text(left - 4, y + 4, f"{percent}%", "end", "axis"))
    for i, t in enumerate(trends):
        centre = left + slot * i + slot / 2
        for j, (part, whole, css, words) in enumerate(((t.tasks_on_time, t.tasks, "c-tasks", "kết quả nhiệm vụ"),
                                                       (t.reports_on_time, t.reports, "c-reports", "báo cáo đơn vị"))):
            share = t.share(part, whole)
            x = centre - bar_w - 2 + j * (bar_w + 4)
            h = plot_h * share / 100
            chart.rects.append(Rect(x, top + plot_h - h, bar_w, h, css, f"{t.period.name}: {part}/{whole} {words} đúng hạn ({share}%)"))
            chart.texts.append(Text(x + bar_w / 2, top + plot_h - h - 3, f"{share}%", "middle", "value"))
        chart.texts.append(Text(centre, top + plot_h + 18, t.period.name, "middle", "label"))
    return chart
