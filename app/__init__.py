"""绩效自评: project expenditure performance self-evaluation (scoring, files, window, documents)."""

__version__ = "0.1.0"
