# Builds Studio for Windows: dist\studio\studio.exe (PyInstaller, the same packaging\studio.spec as Linux, with the
# icon drawn from resources\icons\studio.svg) and dist\Studio-<version>-setup.exe (Inno Setup 6,
# packaging\windows\studio.iss).
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs Python 3.11+, the Visual Studio C++ build tools (llama-cpp-python has no binary wheel on PyPI and is
# compiled here, CPU only) and Inno Setup 6 (iscc.exe). Not run on the project's Linux machines:
# .github/workflows/package.yml runs it on windows-latest.
$ErrorActionPreference = "Stop"
Set-Location (Resolve-Path (Join-Path $PSScriptRoot "..\.."))

# A plain function (no param block), so that arguments such as -m reach the program instead of PowerShell's binder.
function Invoke-Checked {
    $exe, $rest = $args
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "$exe $($rest -join ' ') failed with exit code $LASTEXITCODE" }
}

$python = if ($env:PYTHON) { $env:PYTHON } else { "python" }
if (-not (Test-Path .venv\Scripts\python.exe)) { Invoke-Checked $python -m venv .venv }
$py = (Resolve-Path .venv\Scripts\python.exe).Path
Invoke-Checked $py -m pip install --quiet --upgrade pip
Invoke-Checked $py -m pip install --quiet -e ".[package]"

# The window's translations (what scripts/build_translations does on Linux and macOS): each .qm beside its .ts,
# with the stamp holding the SHA-256 of the .ts it came from.
foreach ($ts in Get-ChildItem resources\i18n\studio_*.ts) {
    $qm = [IO.Path]::ChangeExtension($ts.FullName, ".qm")
    Invoke-Checked .venv\Scripts\pyside6-lrelease.exe -silent -nounfinished $ts.FullName -qm $qm
    $hash = (Get-FileHash $ts.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
    [IO.File]::WriteAllText("$qm.source-sha256", "$hash`n")
}

Invoke-Checked $py packaging\icons.py ico build\icons\studio.ico
Invoke-Checked .venv\Scripts\pyinstaller.exe --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller packaging\studio.spec
Invoke-Checked dist\studio\studio.exe --version

$version = (Select-String -Path studio\__init__.py -Pattern '^__version__ = "(.*)"').Matches[0].Groups[1].Value
$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
if (-not (Test-Path $iscc)) { throw "Inno Setup 6 (iscc.exe) is not installed: https://jrsoftware.org/isinfo.php" }
Invoke-Checked $iscc /Q "/DAppVersion=$version" "/DSourceDir=$((Resolve-Path dist\studio).Path)" `
    "/DOutputDir=$((Resolve-Path dist).Path)" "/DIconFile=$((Resolve-Path build\icons\studio.ico).Path)" `
    packaging\windows\studio.iss
Write-Host "build.ps1: dist\studio\studio.exe and dist\Studio-$version-setup.exe"
