"""The packaging files (spec, version info, Inno Setup script and its Chinese messages, icons, launcher) agree."""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
ICONS = ROOT / "resources" / "icons"
BOM = b"\xef\xbb\xbf"


def _read_bom_utf8(path: Path) -> str:
    raw = path.read_bytes()
    assert raw.startswith(BOM), f"{path.name} must be UTF-8 with BOM (older Inno Setup / PowerShell 5.1 need it)"
    return raw[len(BOM):].decode("utf-8")


def _iss_code() -> str:
    """The Inno Setup script without its comment lines."""
    text = _read_bom_utf8(INSTALLER / "jixiao.iss")
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(";"))


def _version_tuple() -> tuple[int, int, int, int]:
    parts = [int(p) for p in re.findall(r"\d+", app.__version__)[:4]]
    return (*parts, *([0] * (4 - len(parts))))  # type: ignore[return-value]


# --------------------------------------------------------------------------- version information


def test_version_info_matches_the_program_version() -> None:
    text = (INSTALLER / "version_info.txt").read_text(encoding="utf-8")
    v = tuple(str(n) for n in _version_tuple())
    for field in ("filevers", "prodvers"):
        found = re.search(field + r"=\((\d+),\s*(\d+),\s*(\d+),\s*(\d+)\)", text)
        assert found is not None and found.groups() == v, field
    strings = dict(re.findall(r"StringStruct\('(\w+)',\s*'([^']*)'\)", text))
    assert strings["FileVersion"] == ".".join(v)
    assert strings["ProductVersion"] == app.__version__
    assert strings["OriginalFilename"] == "JixiaoZiping.exe"
    assert strings["ProductName"] == "绩效自评"
    assert strings["FileDescription"] == "绩效自评"
    assert re.search(r"[\u4e00-\u9fff]", strings["CompanyName"])
    assert "'080404B0'" in text and "[2052, 1200]" in text


def test_version_info_is_a_valid_structure() -> None:
    """Evaluate the file the way PyInstaller does, with stand-ins for its classes (pefile is Windows-only)."""

    class Node:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.args, self.kwargs = args, kwargs

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct"]
    info = eval((INSTALLER / "version_info.txt").read_text(encoding="utf-8"),
                {n: type(n, (Node,), {}) for n in names})
    assert type(info).__name__ == "VSVersionInfo"
    assert set(info.kwargs) == {"ffi", "kids"}


# --------------------------------------------------------------------------- PyInstaller spec


def test_spec_names_and_resources() -> None:
    spec = (INSTALLER / "app.spec").read_text(encoding="utf-8")
    assert 'APP_NAME = "JixiaoZiping"' in spec
    assert "console=False" in spec and "console=True" in spec
    assert "upx=False" in spec
    for needle in ('collect_data_files("reportlab")', 'collect_data_files("docx")', 'collect_data_files("openpyxl")',
                   "qtbase_zh_CN.qm", 'collect_submodules("app")', "app.ico", "version_info.txt", "launcher.py"):
        assert needle in spec, needle
    for excluded in ("QtQml", "QtQuick", "QtWebEngineCore", "Qt3DCore"):
        assert f'"{excluded}"' in spec
    assert '"QtNetwork"' not in spec  # the single-instance server needs it


def test_spec_is_valid_python() -> None:
    compile((INSTALLER / "app.spec").read_text(encoding="utf-8"), "app.spec", "exec")


# --------------------------------------------------------------------------- Inno Setup script


def test_inno_script_per_user_chinese_and_association() -> None:
    iss = _iss_code()
    setup = dict(re.findall(r"^(\w+)=(.*)$", iss, flags=re.MULTILINE))
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["PrivilegesRequiredOverridesAllowed"] == "dialog"
    assert setup["ChangesAssociations"] == "yes"
    assert setup["DefaultDirName"] == r"{autopf}\{#AppFolder}"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", setup["AppId"])
    assert not setup["OutputBaseFilename"].lower().startswith("setup")
    assert '#define AppExeName "JixiaoZiping.exe"' in iss
    assert '#define AssocProgId "JixiaoZiping.jxdb"' in iss
    assert '#define AssocDescription "绩效自评项目文件"' in iss
    assert 'MessagesFile: "ChineseSimplified.isl"' in iss
    registry = [line for line in iss.splitlines() if line.startswith("Root:")]
    assert registry and all(line.startswith("Root: HKA; Subkey: \"Software\\Classes\\") for line in registry)
    assert "HKCR" not in iss
    joined = "\n".join(registry)
    assert r'Subkey: "Software\Classes\{#AssocProgId}\shell\open\command"' in joined
    assert 'ValueData: """{app}\\{#AppExeName}"" ""%1"""' in joined
    assert r"\OpenWithProgids" in joined and r"\DefaultIcon" in joined
    assert 'Name: "desktopicon"' in iss and "Flags: unchecked" in iss
    assert "{autoprograms}" in iss


def test_uninstaller_leaves_user_files_alone() -> None:
    iss = _iss_code()
    assert "[UninstallDelete]" not in iss
    assert "[UninstallRun]" not in iss
    for protected in ("{localappdata}", "{userdocs}", "{commondocs}", "{userappdata}", "JixiaoZiping\\logs"):
        assert protected not in iss
    # [InstallDelete] may only clean the program's own folder
    section = iss.split("[InstallDelete]", 1)[1].split("\n[", 1)[0]
    names = re.findall(r'Name: "([^"]+)"', section)
    assert names and all(n.startswith("{app}\\") for n in names)


def test_build_script_and_workflow() -> None:
    ps1 = _read_bom_utf8(INSTALLER / "build-windows.ps1")
    for needle in ("installer\\app.spec", "--smoke", "ISCC.exe", "/DAppVersion=", "Start-Process", "93\\.08",
                   "jixiao.iss", "venv"):
        assert needle in ps1, needle
    workflow = (ROOT / ".github" / "workflows" / "windows-installer.yml").read_text(encoding="utf-8")
    for needle in ("windows-latest", "choco install innosetup -y", "build-windows.ps1", "upload-artifact",
                   "dist/installer/*.exe"):
        assert needle in workflow, needle


# --------------------------------------------------------------------------- Chinese installer messages

#: Messages a per-user install, upgrade and uninstall of this installer actually shows.
SHOWN = (
    "SetupAppTitle", "SetupWindowTitle", "UninstallAppTitle", "UninstallAppFullTitle", "ButtonBack", "ButtonNext",
    "ButtonInstall", "ButtonOK", "ButtonCancel", "ButtonYes", "ButtonNo", "ButtonFinish", "ButtonBrowse",
    "ButtonWizardBrowse", "ClickNext", "WelcomeLabel1", "WelcomeLabel2", "WizardSelectDir", "SelectDirDesc",
    "SelectDirLabel3", "SelectDirBrowseLabel", "DiskSpaceMBLabel", "DirExists", "WizardSelectTasks",
    "SelectTasksDesc", "SelectTasksLabel2", "WizardReady", "ReadyLabel1", "ReadyLabel2a", "ReadyMemoDir",
    "ReadyMemoTasks", "WizardPreparing", "PreparingDesc", "ApplicationsFound", "ApplicationsFound2",
    "CloseApplications", "DontCloseApplications", "WizardInstalling", "InstallingLabel", "StatusExtractFiles",
    "StatusCreateIcons", "StatusCreateRegistryEntries", "StatusSavingUninstall", "FinishedHeadingLabel",
    "FinishedLabel", "ClickFinish", "RunEntryExec", "ExitSetupTitle", "ExitSetupMessage",
    "PrivilegesRequiredOverrideTitle", "PrivilegesRequiredOverrideInstruction", "PrivilegesRequiredOverrideText2",
    "PrivilegesRequiredOverrideAllUsers", "PrivilegesRequiredOverrideCurrentUserRecommended", "ConfirmUninstall",
    "UninstallStatusLabel", "UninstalledAll", "UninstalledMost", "WizardUninstalling", "StatusUninstalling",
    "SetupAppRunningError", "UninstallAppRunningError", "ErrorCreatingDir", "SetupAborted",
)
CUSTOM = ("CreateDesktopIcon", "AdditionalIcons", "LaunchProgram", "NameAndVersion", "UninstallProgram")


def _isl_sections() -> dict[str, dict[str, str]]:
    text = _read_bom_utf8(INSTALLER / "ChineseSimplified.isl")
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[] "), {})
            continue
        assert current is not None, f"text outside a section: {line!r}"
        key, sep, value = line.partition("=")
        assert sep, f"missing '=': {line!r}"
        assert key not in current, f"duplicate message {key}"
        current[key] = value
    return sections


def test_isl_language_options() -> None:
    options = _isl_sections()["LangOptions"]
    assert options["LanguageName"] == "简体中文"
    assert options["LanguageID"] == "$0804"
    assert options["LanguageCodePage"] == "0"


@pytest.mark.parametrize("section, keys", [("Messages", SHOWN), ("CustomMessages", CUSTOM)])
def test_isl_translates_every_shown_message(section: str, keys: tuple[str, ...]) -> None:
    messages = _isl_sections()[section]
    for key in keys:
        assert key in messages, key
        assert re.search(r"[\u4e00-\u9fff]", messages[key]), f"{key} is not Chinese: {messages[key]!r}"


def test_isl_placeholders_and_accelerators() -> None:
    messages = _isl_sections()["Messages"]
    assert len(messages) > 250
    # placeholders that Setup fills in must survive the translation
    expected = {"SetupWindowTitle": {"%1"}, "UninstallAppFullTitle": {"%1"}, "ConfirmUninstall": {"%1"},
                "DirExists": {"%1"}, "DiskSpaceWarning": {"%1", "%2"}, "LastErrorMessage": {"%1", "%2", "%3"},
                "ErrorFunctionFailed": {"%1", "%2"}, "FileNotInDir2": {"%1", "%2"}, "ErrorRegOpenKey": {"%1", "%2"},
                "PrivilegesRequiredOverrideText1": {"%1"}, "RunEntryExec": {"%1"}}
    for key, wanted in expected.items():
        assert set(re.findall(r"%\d", messages[key])) == wanted, key
    for key in ("WelcomeLabel1", "WelcomeLabel2", "SelectDirDesc", "InstallingLabel", "FinishedLabel"):
        assert "[name" in messages[key], key
    for key in ("ButtonBack", "ButtonNext", "ButtonInstall", "ButtonFinish", "ButtonBrowse"):
        assert re.search(r"\(&[A-Z]\)", messages[key]), key
    # the uninstaller tells people their project files stay
    assert ".jxdb" in messages["ConfirmUninstall"]


# --------------------------------------------------------------------------- icons


@pytest.mark.parametrize("name", ["app.ico", "jxdb.ico"])
def test_icons_have_every_size(name: str, qapp: object) -> None:
    from PySide6.QtGui import QImageReader

    data = (ICONS / name).read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        w, _h, _colors, _r, _planes, bpp, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert bpp == 32 and offset + length <= len(data)
        sizes.append(w or 256)
    assert {16, 24, 32, 48, 256} <= set(sizes)
    reader = QImageReader(str(ICONS / name))
    assert reader.imageCount() == count
    for i in range(count):
        reader.jumpToImage(i)
        image = reader.read()
        assert not image.isNull()
        assert image.pixelColor(image.width() // 2, image.height() // 2).alpha() == 255  # drawn, not empty


# --------------------------------------------------------------------------- launcher


def test_launcher_gives_windowed_builds_somewhere_to_write(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    sys.path.insert(0, str(INSTALLER))
    try:
        import launcher
    finally:
        sys.path.remove(str(INSTALLER))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    launcher.guard_streams()
    assert sys.stdout is not None and sys.stderr is not None
    print("nobody reads this")
    from app.paths import log_dir

    log = log_dir() / "stderr.log"
    assert not log.exists()  # nothing written yet: no empty log file
    sys.stderr.write("错误：测试\n")
    assert log.read_text(encoding="utf-8") == "错误：测试\n"
    sys.stdout.close()
    sys.stderr.close()
