"""Dialogs of the window: questions, new/copy project, recovery."""
