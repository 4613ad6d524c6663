"""Validation: the rule expression language (expressions.py) and the checks of a submission (rules.py)."""
