; Inno Setup 6 script for Studio's Windows installer. packaging\windows\build.ps1 passes the version and folders:
;   iscc /DAppVersion=0.1.0 /DSourceDir=...\dist\studio /DOutputDir=...\dist /DIconFile=...\studio.ico studio.iss
; Installs for the current user by default (no administrator needed; the writer may choose all users), adds a
; Start menu entry and, if asked, a desktop icon. Studio's data stays in the user's AppData folder and is left in
; place on uninstall: a writer's drafts are never removed with the program.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\studio"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\studio.ico"
#endif

[Setup]
; A fixed AppId: upgrades replace the installed version instead of adding a second one.
AppId={{6F1A8E0C-5B7D-4C8E-9C1B-3D2E7A9F4B10}
AppName=Studio
AppVersion={#AppVersion}
AppVerName=Studio {#AppVersion}
AppPublisher=Studio developers
DefaultDirName={autopf}\Studio
DefaultGroupName=Studio
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=Studio-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\studio.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE

[Languages]
; Inno Setup ships no Simplified Chinese among its official translations; the installer is in English (Studio's
; window itself speaks Chinese).
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Studio"; Filename: "{app}\studio.exe"; Comment: "An offline creative-writing studio"
Name: "{autodesktop}\Studio"; Filename: "{app}\studio.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\studio.exe"; Description: "{cm:LaunchProgram,Studio}"; Flags: nowait postinstall skipifsilent
