<#
.SYNOPSIS
  构建“绩效自评”的 Windows 安装程序：虚拟环境 → 安装依赖 → PyInstaller → 冒烟测试 → Inno Setup。

.DESCRIPTION
  Builds the 绩效自评 Windows installer from a clean checkout (run from any folder):

    powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1

  1. creates a virtual environment in build\venv (Python 3.11 or later),
  2. pip installs the project and PyInstaller,
  3. runs PyInstaller on installer\app.spec (output: dist\JixiaoZiping\),
  4. runs the frozen program: `jixiao.exe score` on the sample, `jixiao.exe --smoke`, `JixiaoZiping.exe --smoke`
     (the windowed executable, waited for with Start-Process), and a Word/Excel/PDF export,
  5. runs ISCC on installer\jixiao.iss (output: dist\installer\JixiaoZiping-<version>-setup.exe).

  Needs Python 3.11+ (python.org installer or `py` launcher) and Inno Setup 6 or 7 (ISCC.exe on PATH, in
  Program Files, or in %LOCALAPPDATA%\Programs). Keep this file UTF-8 with BOM (Windows PowerShell 5.1 reads
  files without one in the ANSI code page).

.PARAMETER Python
  The Python used to create the virtual environment (default: `py -3.11` if the launcher exists, else `python`).

.PARAMETER SkipInstaller
  Stop after the smoke test (no Inno Setup needed).

.PARAMETER SkipSmoke
  Do not run the frozen program (not recommended).
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [switch]$SkipInstaller,
    [switch]$SkipSmoke
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Venv = Join-Path $Root "build\venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
$Dist = Join-Path $Root "dist"
$AppDir = Join-Path $Dist "JixiaoZiping"
$Work = Join-Path $Root "build\pyinstaller"

function Write-Step([string]$Text) {
    Write-Host ""
    Write-Host "== $Text" -ForegroundColor Cyan
}

function Invoke-Native {
    # Run a program; stop the build when it fails (native programs do not throw in PowerShell).
    param([Parameter(Mandatory)][string]$FilePath, [string[]]$Arguments = @())
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "命令失败（退出码 $LASTEXITCODE）：$FilePath $($Arguments -join ' ')"
    }
}

function Find-Iscc {
    $onPath = Get-Command "ISCC.exe" -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $roots = @(${env:ProgramFiles(x86)}, $env:ProgramFiles, (Join-Path $env:LOCALAPPDATA "Programs")) |
        Where-Object { $_ }
    foreach ($root in $roots) {
        foreach ($name in @("Inno Setup 7", "Inno Setup 6")) {
            $candidate = Join-Path $root "$name\ISCC.exe"
            if (Test-Path $candidate) { return $candidate }
        }
    }
    throw "找不到 Inno Setup 的编译器 ISCC.exe。请安装 Inno Setup 6 或 7（例如 choco install innosetup），或把 ISCC.exe 所在文件夹加入 PATH。"
}

# --------------------------------------------------------------------------- 1. virtual environment
Write-Step "创建虚拟环境 $Venv"
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
if ($Python) {
    Invoke-Native $Python @("-m", "venv", $Venv)
} elseif (Get-Command "py" -ErrorAction SilentlyContinue) {
    Invoke-Native "py" @("-3.11", "-m", "venv", $Venv)
} else {
    Invoke-Native "python" @("-m", "venv", $Venv)
}
Invoke-Native $VenvPython @("-c", "import sys; assert sys.version_info >= (3, 11), sys.version")

# --------------------------------------------------------------------------- 2. dependencies
Write-Step "安装本项目和 PyInstaller"
Invoke-Native $VenvPython @("-m", "pip", "install", "--disable-pip-version-check", "--upgrade", "pip")
Invoke-Native $VenvPython @("-m", "pip", "install", "--disable-pip-version-check", ".[server]", "pyinstaller>=6.10")
$Version = (& $VenvPython -c "import app; print(app.__version__)").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "无法读取程序版本号（app.__version__）" }
Write-Host "版本 $Version"

# --------------------------------------------------------------------------- 3. PyInstaller
Write-Step "PyInstaller：installer\app.spec → $AppDir"
if (Test-Path $AppDir) { Remove-Item -Recurse -Force $AppDir }
Invoke-Native $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean",
    "--distpath", $Dist, "--workpath", $Work, (Join-Path $Root "installer\app.spec"))
$Gui = Join-Path $AppDir "JixiaoZiping.exe"
$Cli = Join-Path $AppDir "jixiao.exe"
foreach ($exe in @($Gui, $Cli)) {
    if (-not (Test-Path $exe)) { throw "PyInstaller 没有生成 $exe" }
}

# --------------------------------------------------------------------------- 4. smoke test of the frozen program
if (-not $SkipSmoke) {
    Write-Step "冒烟测试：运行打包后的程序"
    $Scratch = Join-Path ([System.IO.Path]::GetTempPath()) ("jixiao-smoke-" + [guid]::NewGuid().ToString("N"))
    New-Item -ItemType Directory -Path $Scratch | Out-Null
    try {
        $sample = Join-Path $Root "resources\samples\seed000-daning.json"
        $scored = (& $Cli score $sample) -join "`n"
        if ($LASTEXITCODE -ne 0 -or $scored -notmatch "93\.08") {
            throw "jixiao.exe score 的结果不对（应为 93.08 分）：`n$scored"
        }
        Write-Host "score：93.08 分"

        Invoke-Native $Cli @("--smoke")
        $demo = Join-Path $Scratch "示例.jxdb"
        Invoke-Native $Cli @("demo", $demo)
        Invoke-Native $Cli @("--smoke", $demo)

        # The windowed executable has no console: wait for it explicitly and read its exit code.
        $proc = Start-Process -FilePath $Gui -ArgumentList @("--smoke", "`"$demo`"") -Wait -PassThru
        if ($proc.ExitCode -ne 0) { throw "JixiaoZiping.exe --smoke 失败（退出码 $($proc.ExitCode)）" }
        Write-Host "--smoke：通过"

        $out = Join-Path $Scratch "导出"
        Invoke-Native $Cli @("export", $demo, "--to", $out, "--jobs", "2")
        foreach ($ext in @("docx", "xlsx", "pdf")) {
            if (-not (Get-ChildItem -Path $out -Filter "*.$ext")) { throw "导出结果中没有 .$ext 文件" }
        }
        Write-Host "导出：通过（$((Get-ChildItem $out).Count) 个文件）"
    } finally {
        Remove-Item -Recurse -Force $Scratch -ErrorAction SilentlyContinue
    }
}

# --------------------------------------------------------------------------- 5. Inno Setup
if (-not $SkipInstaller) {
    $Iscc = Find-Iscc
    Write-Step "Inno Setup：$Iscc"
    Invoke-Native $Iscc @("/Qp", "/DAppVersion=$Version", (Join-Path $Root "installer\jixiao.iss"))
    $Setup = Join-Path $Dist "installer\JixiaoZiping-$Version-setup.exe"
    if (-not (Test-Path $Setup)) { throw "ISCC 没有生成 $Setup" }
    $size = [math]::Round((Get-Item $Setup).Length / 1MB, 1)
    Write-Host "安装程序：$Setup（$size MB）" -ForegroundColor Green
}
