"""Word, Excel and PDF documents from a project and its score report (no Qt)."""
