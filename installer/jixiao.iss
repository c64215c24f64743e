; Inno Setup script of 绩效自评: a per-user installer (no administrator rights needed) in Simplified Chinese.
;
; Build (normally via installer\build-windows.ps1, after PyInstaller has made dist\JixiaoZiping\):
;   ISCC.exe /DAppVersion=0.1.0 installer\jixiao.iss
; Output: dist\installer\JixiaoZiping-<version>-setup.exe
;
; Installs to %LOCALAPPDATA%\Programs\JixiaoZiping (all-users mode, if chosen in the dialog, to Program Files),
; adds a Start-menu shortcut, an optional desktop shortcut, and registers .jxdb files ("绩效自评项目文件").
; The uninstaller removes only what Setup installed: the user's project files, exported documents, working
; copies and logs (%LOCALAPPDATA%\JixiaoZiping, 文档) are never touched: there is no [UninstallDelete] section
; on purpose.

#define AppName "绩效自评"
#define AppExeName "JixiaoZiping.exe"
#define AppFolder "JixiaoZiping"
#define AppPublisher "绩效自评开发组"
#define AssocExt ".jxdb"
#define AssocProgId "JixiaoZiping.jxdb"
#define AssocDescription "绩效自评项目文件"
#define DistDir AddBackslash(SourcePath) + "..\dist\" + AppFolder
; build-windows.ps1 passes the version of app/__init__.py; by hand, take it from the built executable.
#ifndef AppVersion
#define AppVersion GetVersionNumbersString(DistDir + "\" + AppExeName)
#endif

[Setup]
; AppId identifies the program for upgrades and uninstall: never change it.
AppId={{A9B0F7B4-D7BA-4E63-8F80-A199ECC6C5D2}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppCopyright=版权所有 © {#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoCompany={#AppPublisher}
VersionInfoDescription={#AppName} 安装程序
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
; Per user, no administrator rights: {autopf} is %LOCALAPPDATA%\Programs, HKA is HKEY_CURRENT_USER.
; The dialog lets an administrator choose an all-users install instead (then Program Files and HKLM).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppFolder}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 1809 or later.
MinVersion=10.0.17763
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
ShowLanguageDialog=no
OutputDir=..\dist\installer
OutputBaseFilename=JixiaoZiping-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes

[Languages]
Name: "chs"; MessagesFile: "ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder. On upgrade old files are replaced; the _internal folder is cleaned first so
; that modules dropped by a newer version do not linger.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The document icon beside the program, where the registry entry below points.
Source: "..\resources\icons\jxdb.ico"; DestDir: "{app}"; Flags: ignoreversion

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "项目支出绩效自评的录入、计分、打印与导出"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; .jxdb → JixiaoZiping.jxdb (HKA\Software\Classes: per-user in a per-user install, never HKCR).
Root: HKA; Subkey: "Software\Classes\{#AssocExt}"; ValueType: string; ValueName: ""; ValueData: "{#AssocProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#AssocExt}\OpenWithProgids"; ValueType: string; ValueName: "{#AssocProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#AssocProgId}"; ValueType: string; ValueName: ""; ValueData: "{#AssocDescription}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#AssocProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\jxdb.ico"
Root: HKA; Subkey: "Software\Classes\{#AssocProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""
; "Open with" list and the program's friendly name.
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: "{#AssocExt}"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExeName},0"
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
