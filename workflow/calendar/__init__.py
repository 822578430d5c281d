"""Due dates as a calendar: a month page of the person's items and a private iCalendar feed."""
