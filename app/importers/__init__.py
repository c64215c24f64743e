"""Reading projects in: 自评表 workbooks, interchange JSON and .jxdb files as sources (the mirror of exporters)."""
