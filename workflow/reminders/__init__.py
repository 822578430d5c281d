"""Đôn đốc: the reminder policy as data (policy.py), the scheduler that decides what is due now and
writes it to the outbox (scheduler.py), reminders by hand (manual.py) and the clock on the homes."""
