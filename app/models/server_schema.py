"""The bureau database on PostgreSQL: the same tables as a .jxdb, plus versioned server-only steps
(version column, accounts, roles, row-level security), created and upgraded by ``server init``."""

from __future__ import annotations

from sqlalchemy import Connection, text

from app.models import migrations
from app.models.errors import JxdbError
from app.models.schema import SCHEMA_VERSION, metadata

#: The server-only steps this program knows (``jx_schema`` row 'server').
SERVER_VERSION = 2

#: Group roles (NOLOGIN); every login account is a member of exactly one.
UNIT_ROLE, REVIEWER_ROLE, ADMIN_ROLE = "jx_unit", "jx_reviewer", "jx_admin"
GROUP_ROLES = {"unit": UNIT_ROLE, "reviewer": REVIEWER_ROLE, "admin": ADMIN_ROLE}

#: What a reviewer may change: the review columns, and the version stamp every write bumps.
REVIEWER_COLUMNS = {
    "projects": ("review_agency", "review_reviewers", "review_date", "review_status", "review_opinion", "version",
                 "updated_by", "updated_at"),
    "indicators": ("reviewer_score", "reviewer_note"),
}

_SERVER_STEP_1 = [
    # optimistic locking: every write of a project bumps ``version`` and says who wrote it
    "ALTER TABLE projects ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE projects ADD COLUMN updated_by TEXT NOT NULL DEFAULT current_user",
    "ALTER TABLE projects ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now()",
    "CREATE INDEX ix_projects_unit ON projects (unit)",
    "CREATE TABLE jx_units (name TEXT PRIMARY KEY CHECK (name <> ''))",
    """CREATE TABLE jx_accounts (
        login TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('unit', 'reviewer', 'admin')),
        unit TEXT REFERENCES jx_units (name) ON UPDATE CASCADE,
        CHECK ((kind = 'unit') = (unit IS NOT NULL)))""",
    # who is connected (SECURITY DEFINER: accounts cannot read the account table themselves)
    """CREATE FUNCTION jx_my_unit() RETURNS TEXT LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public AS $$ SELECT unit FROM jx_accounts WHERE login = session_user $$""",
    """CREATE FUNCTION jx_my_kind() RETURNS TEXT LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public AS $$ SELECT kind FROM jx_accounts WHERE login = session_user $$""",
    "REVOKE ALL ON FUNCTION jx_my_unit(), jx_my_kind() FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION jx_my_unit(), jx_my_kind() TO {UNIT_ROLE}, {REVIEWER_ROLE}, {ADMIN_ROLE}",
    # row-level security: a unit account sees and writes only its unit's projects (and their rows)
    "ALTER TABLE projects ENABLE ROW LEVEL SECURITY",
    f"""CREATE POLICY unit_projects ON projects TO {UNIT_ROLE}
        USING (unit = jx_my_unit()) WITH CHECK (unit = jx_my_unit())""",
    f"CREATE POLICY bureau_projects ON projects TO {REVIEWER_ROLE}, {ADMIN_ROLE} USING (true) WITH CHECK (true)",
    # (the tables that hang off a project get theirs from ensure_security, run after every init)
    # privileges: units and admins write projects; reviewers only the review columns
    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
    f"GRANT SELECT ON projects, templates, jx_units, jx_schema TO {UNIT_ROLE}, {REVIEWER_ROLE}, {ADMIN_ROLE}",
    f"GRANT SELECT ON jx_accounts TO {ADMIN_ROLE}",
    f"GRANT INSERT ON templates TO {UNIT_ROLE}, {ADMIN_ROLE}",
    f"GRANT INSERT, UPDATE, DELETE ON projects TO {UNIT_ROLE}, {ADMIN_ROLE}",
    f"GRANT INSERT, UPDATE, DELETE ON jx_units, jx_accounts TO {ADMIN_ROLE}",
    f"GRANT UPDATE, DELETE ON templates TO {ADMIN_ROLE}",
    *(f"GRANT UPDATE ({', '.join(cols)}) ON {table} TO {REVIEWER_ROLE}" for table, cols in REVIEWER_COLUMNS.items()),
]

#: The review columns a unit account may not change (its 自评 values are everything else).
REVIEW_COLUMNS = {
    "projects": ("review_agency", "review_reviewers", "review_date", "review_status", "review_opinion"),
    "indicators": ("reviewer_score", "reviewer_note"),
}


def _differs(table: str) -> str:
    return " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in REVIEW_COLUMNS[table])


_REFUSE = "RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = "

_SERVER_STEP_2 = [
    # A unit account may change only its 自评 values: the review columns of its projects and indicators are
    # the reviewer's. Enforced by triggers (not column privileges) so that rewriting a whole project with
    # its review values unchanged still works. A unit may insert review values only with a project new in
    # this transaction (a file it brings in) or when it re-inserts indicators it deleted in this
    # transaction (a project rewritten after an indicator was added or removed): jx_review_carry holds
    # those, readable by the trigger functions only.
    """CREATE FUNCTION jx_is_unit() RETURNS BOOLEAN LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public AS $$
        SELECT pg_has_role(session_user, 'jx_unit', 'USAGE')
           AND NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) $$""",
    "CREATE TABLE jx_review_carry (xact BIGINT NOT NULL DEFAULT txid_current(), "
    "reviewer_score TEXT, reviewer_note TEXT NOT NULL)",
    f"""CREATE FUNCTION jx_guard_project() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = public AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            -- the review work and its history stay: a project a reviewer or admin changed is not the unit's to drop
            IF jx_is_unit() AND EXISTS (SELECT 1 FROM history h JOIN jx_accounts a ON a.login = h.who
                                         WHERE h.project_id = OLD.id AND a.kind <> 'unit') THEN
              {_REFUSE}'复核人员已经复核或修改过这个项目，单位账号不能删除或替换它；如确需删除，请联系复核人员';
            END IF;
            RETURN OLD;
          END IF;
          IF jx_is_unit() THEN
            IF {_differs("projects")} THEN
              {_REFUSE}'单位账号不能修改复核信息（复核状态、复核人、复核意见等），它们由复核人员填写';
            END IF;
            IF NEW.version NOT IN (OLD.version, OLD.version + 1) THEN
              {_REFUSE}'单位账号不能修改项目的版本号';
            END IF;
          END IF;
          RETURN NEW;
        END $$""",
    f"""CREATE FUNCTION jx_guard_indicator() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = public AS $$
        DECLARE fresh BOOLEAN; carried TID;
        BEGIN
          IF NOT jx_is_unit() THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
          END IF;
          IF TG_OP = 'UPDATE' THEN
            IF {_differs("indicators")} THEN
              {_REFUSE}'单位账号不能修改复核得分和复核意见，它们由复核人员填写';
            END IF;
            RETURN NEW;
          END IF;
          IF TG_OP = 'DELETE' THEN
            IF OLD.reviewer_score IS NOT NULL OR OLD.reviewer_note <> '' THEN
              -- what earlier transactions left (a deleted project's review values) goes first
              DELETE FROM jx_review_carry WHERE ctid IN (SELECT ctid FROM jx_review_carry
                WHERE xact <> txid_current() FOR UPDATE SKIP LOCKED);
              INSERT INTO jx_review_carry (reviewer_score, reviewer_note)
                VALUES (OLD.reviewer_score, OLD.reviewer_note);
            END IF;
            RETURN OLD;
          END IF;
          IF NEW.reviewer_score IS NULL AND NEW.reviewer_note = '' THEN
            RETURN NEW;
          END IF;
          SELECT p.version = 1 AND p.xmin::text = mod(txid_current(), 4294967296)::text INTO fresh
            FROM indicator_groups g JOIN categories c ON c.id = g.category_id JOIN projects p ON p.id = c.project_id
            WHERE g.id = NEW.group_id;
          IF coalesce(fresh, false) THEN
            RETURN NEW;
          END IF;
          SELECT ctid INTO carried FROM jx_review_carry
            WHERE xact = txid_current() AND reviewer_score IS NOT DISTINCT FROM NEW.reviewer_score
              AND reviewer_note = NEW.reviewer_note LIMIT 1;
          IF carried IS NULL THEN
            {_REFUSE}'单位账号不能填写复核得分和复核意见，它们由复核人员填写';
          END IF;
          DELETE FROM jx_review_carry WHERE ctid = carried;
          RETURN NEW;
        END $$""",
    "REVOKE ALL ON FUNCTION jx_is_unit(), jx_guard_project(), jx_guard_indicator() FROM PUBLIC",
    "CREATE TRIGGER jx_guard_review BEFORE UPDATE OR DELETE ON projects "
    "FOR EACH ROW EXECUTE FUNCTION jx_guard_project()",
    "CREATE TRIGGER jx_guard_review BEFORE INSERT OR UPDATE OR DELETE ON indicators "
    "FOR EACH ROW EXECUTE FUNCTION jx_guard_indicator()",
    # the history says who made a change: the login that wrote it, whatever the client claims
    """CREATE FUNCTION jx_history_who() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = public AS $$
        BEGIN
          IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
             AND session_user <> (SELECT tableowner FROM pg_tables WHERE tablename = 'history'
                                  AND schemaname = 'public') THEN
            NEW.who := session_user;
          END IF;
          RETURN NEW;
        END $$""",
    "REVOKE ALL ON FUNCTION jx_history_who() FROM PUBLIC",
    "CREATE TRIGGER jx_history_who BEFORE INSERT ON history FOR EACH ROW EXECUTE FUNCTION jx_history_who()",
]

#: ``SERVER_STEPS[n]`` turns server version n into n+1 (0: a database with only the .jxdb tables).
SERVER_STEPS: dict[int, list[str]] = {0: _SERVER_STEP_1, 1: _SERVER_STEP_2}
assert all(n in SERVER_STEPS for n in range(SERVER_VERSION))


class _SqlRunner:
    """What the .jxdb migration steps call (``execute(sql)``), on a SQLAlchemy connection to the server.
    A step whose SQL must differ (say an auto-numbered id: ``INTEGER PRIMARY KEY`` in SQLite,
    ``INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`` here) can test ``getattr(conn, "dialect", "sqlite")``."""

    dialect = "postgresql"

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def execute(self, sql: str) -> None:
        self.conn.exec_driver_sql(sql.replace("%", "%%"))


def _versions(conn: Connection) -> dict[str, int] | None:
    exists = conn.execute(text("SELECT to_regclass('public.jx_schema') IS NOT NULL")).scalar()
    if not exists:
        return None
    return {str(k): int(v) for k, v in conn.execute(text("SELECT component, version FROM jx_schema"))}


def versions(conn: Connection) -> dict[str, int] | None:
    """{'jxdb': n, 'server': m} of an initialised database, None for a database without our tables."""
    return _versions(conn)


def check_versions(conn: Connection) -> None:
    """Refuse a database that is not ours, or is older or newer than this program (with what to do)."""
    found = _versions(conn)
    if found is None:
        raise JxdbError("这个数据库还没有初始化为绩效自评数据库。请管理员按照 docs/server.md 运行"
                        "“python -m app server init”。")
    jxdb_v, server_v = found.get("jxdb", 0), found.get("server", 0)
    if jxdb_v > SCHEMA_VERSION or server_v > SERVER_VERSION:
        raise JxdbError("服务器上的数据库由较新版本的绩效自评程序升级过，本程序无法使用。请升级本程序后再连接。")
    if jxdb_v < SCHEMA_VERSION or server_v < SERVER_VERSION:
        raise JxdbError("服务器上的数据库需要升级到本程序的版本。请管理员先备份数据库，再运行"
                        "“python -m app server init”升级。")


def _ensure_group_roles(conn: Connection) -> None:
    for role in GROUP_ROLES.values():
        found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if found is None:
            conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")


#: Tables never treated as part of a project, even when they reference one.
_NOT_PROJECT_DATA = {"templates", "projects", "jx_schema", "jx_units", "jx_accounts"}


def _project_tables(conn: Connection) -> list[tuple[str, str, str, str]]:
    """Every table whose rows belong to a project, found through the foreign keys in the database (so
    tables added by later .jxdb versions are covered too): (table, column, parent table, parent column),
    parents before children."""
    fks = conn.execute(text("""
        SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, pa.attname
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
          AND cardinality(c.conkey) = 1
        ORDER BY 1, 2""")).all()
    found: list[tuple[str, str, str, str]] = []
    secured = {"projects"}
    grew = True
    while grew:
        grew = False
        for child, column, parent, parent_column in fks:
            if parent in secured and child not in secured and child not in _NOT_PROJECT_DATA:
                found.append((str(child), str(column), str(parent), str(parent_column)))
                secured.add(child)
                grew = True
    return found


def ensure_security(conn: Connection) -> list[str]:
    """Row-level security and privileges on every table of project data that lacks them: a row is
    visible (and writable) exactly when its parent row is. Idempotent; returns the tables it secured."""
    done: list[str] = []
    policies = {str(r[0]) for r in conn.execute(text(
        "SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname LIKE 'visible\\_%'"))}
    for child, column, parent, parent_column in _project_tables(conn):
        if child in policies:
            continue
        visible = f'EXISTS (SELECT 1 FROM "{parent}" p WHERE p."{parent_column}" = "{child}"."{column}")'
        for statement in (
            f'ALTER TABLE "{child}" ENABLE ROW LEVEL SECURITY',
            f'CREATE POLICY "visible_{child}" ON "{child}" TO {UNIT_ROLE}, {REVIEWER_ROLE}, {ADMIN_ROLE} '
            f"USING ({visible}) WITH CHECK ({visible})",
            f'REVOKE ALL ON "{child}" FROM PUBLIC',
            f'GRANT SELECT ON "{child}" TO {UNIT_ROLE}, {REVIEWER_ROLE}, {ADMIN_ROLE}',
            f'GRANT INSERT, UPDATE, DELETE ON "{child}" TO {UNIT_ROLE}, {ADMIN_ROLE}',
            # the history (schema version 3) is written with every edit, a reviewer's too, and never changed:
            # deleting a project removes it by the foreign key's cascade, which runs as the table owner
            *([f"GRANT INSERT ON history TO {REVIEWER_ROLE}",
               f"GRANT USAGE, SELECT ON SEQUENCE history_id_seq TO {REVIEWER_ROLE}",
               f"REVOKE UPDATE, DELETE ON history FROM {UNIT_ROLE}, {ADMIN_ROLE}"] if child == "history" else []),
        ):
            conn.exec_driver_sql(statement)
        done.append(child)
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {UNIT_ROLE}, {ADMIN_ROLE}")
    return done


def _stamp(conn: Connection, component: str, version: int) -> None:
    conn.execute(text("UPDATE jx_schema SET version = :v WHERE component = :c"), {"v": version, "c": component})


def initialise(conn: Connection) -> list[str]:
    """Create or upgrade the bureau database (run by the database owner, in one transaction).
    Returns what was done, in Chinese, one line per step."""
    done: list[str] = []
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4242424242)")  # two admins at once: one waits
    _ensure_group_roles(conn)
    found = _versions(conn)
    if found is None:
        existing = conn.execute(text("SELECT count(*) FROM information_schema.tables "
                                     "WHERE table_schema = 'public'")).scalar_one()
        if existing:
            raise JxdbError("这个数据库中已有其他数据表，不是空数据库。请为绩效自评新建一个空数据库后再初始化。")
        metadata.create_all(conn)
        conn.exec_driver_sql("CREATE TABLE jx_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
        conn.execute(text("INSERT INTO jx_schema VALUES ('jxdb', :v), ('server', 0)"), {"v": SCHEMA_VERSION})
        found = {"jxdb": SCHEMA_VERSION, "server": 0}
        done.append(f"已建立数据表（文件格式版本 {SCHEMA_VERSION}）")
    jxdb_v, server_v = found.get("jxdb", 0), found.get("server", 0)
    if jxdb_v > SCHEMA_VERSION or server_v > SERVER_VERSION:
        raise JxdbError("服务器上的数据库由较新版本的绩效自评程序升级过，本程序不能再升级它。请使用新版本的程序。")
    # the .jxdb steps (the same migration chain as files), then the server-only steps
    runner = _SqlRunner(conn)
    for n in range(jxdb_v, SCHEMA_VERSION):
        migrations.MIGRATIONS[n](runner)
        _stamp(conn, "jxdb", n + 1)
        done.append(f"文件格式已升级到版本 {n + 1}")
    for n in range(server_v, SERVER_VERSION):
        for statement in SERVER_STEPS[n]:
            conn.exec_driver_sql(statement)
        _stamp(conn, "server", n + 1)
        done.append(f"服务器结构已升级到版本 {n + 1}")
    secured = ensure_security(conn)
    if secured:
        done.append(f"已为 {len(secured)} 个项目数据表设置按单位的访问权限（{'、'.join(secured[:3])}"
                    f"{'等' if len(secured) > 3 else ''}）")
    if not done:
        done.append("数据库已是最新版本，无需改动")
    return done
