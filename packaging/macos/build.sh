#!/usr/bin/env bash
# Builds Studio for macOS: dist/Studio.app (PyInstaller, the same packaging/studio.spec as Linux, whose darwin
# branch makes the .app bundle with an .icns icon drawn from resources/icons/studio.svg) and
# dist/Studio-<version>-macos-<arch>.dmg (hdiutil), with llama.cpp compiled for Metal.
#   packaging/macos/build.sh          (on a Mac with Xcode's command-line tools and Python 3.11+)
# Not run on the project's Linux machines: .github/workflows/package.yml runs it on macos-14 (Apple silicon).
# The app is ad-hoc signed (PyInstaller's default), not notarized: on first start the writer uses right-click > Open.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(uname -s)" = Darwin ] || { echo "packaging/macos/build.sh builds the macOS app: run it on a Mac." >&2; exit 2; }
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# llama-cpp-python has no binary wheel: compiled here, with Metal (the GPU of every Apple-silicon Mac). Installed
# before Studio so the pinned version is already satisfied and not built a second time without the flag.
llama=$(sed -n 's/.*"llama-cpp-python==\([^"]*\)".*/\1/p' pyproject.toml | head -n 1)
CMAKE_ARGS="-DGGML_METAL=on" .venv/bin/python -m pip install --quiet "llama-cpp-python==$llama"
.venv/bin/python -m pip install --quiet -e ".[package]"
# scripts/build_translations hashes with sha256sum, which macOS has only as `shasum -a 256`.
if ! command -v sha256sum >/dev/null; then
    sha256sum() { shasum -a 256 "$@"; }
    export -f sha256sum
fi
scripts/build_translations
.venv/bin/python packaging/icons.py icns build/icons/studio.icns >/dev/null
.venv/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/studio.spec
app=dist/Studio.app
"$app/Contents/MacOS/studio" --version
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' studio/__init__.py)
# The disk image: the app and a link to /Applications to drag it onto.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="dist/Studio-$version-macos-$(uname -m).dmg"
hdiutil create -quiet -volname "Studio $version" -srcfolder "$stage" -ov -format UDZO "$dmg"
echo "build.sh: $app and $dmg ($(du -h "$dmg" | cut -f1))" >&2
