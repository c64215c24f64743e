"""Blocks of cells as Excel and WPS put them on the clipboard: tab-separated rows, quoted cells."""

from __future__ import annotations


def parse_block(text: str) -> list[list[str]]:
    """A block copied from Excel or WPS: rows by newline, cells by tab; quoted cells may hold newlines."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell, i, quoted = "", 0, False
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1: i + 2] == '"':
                cell += '"'
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell += ch
        elif ch == '"' and cell == "":
            quoted = True
        elif ch == "\t":
            row.append(cell)
            cell = ""
        elif ch == "\n":
            row.append(cell)
            rows.append(row)
            row, cell = [], ""
        else:
            cell += ch
        i += 1
    row.append(cell)
    rows.append(row)
    return rows


def format_block(rows: list[list[str]]) -> str:
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if any(c in cell for c in '\t\n"') else cell

    return "\n".join("\t".join(quote(c) for c in row) for row in rows)
