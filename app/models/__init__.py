"""The .jxdb project file: SQLAlchemy ORM, opening, saving, migrating, interchange."""
