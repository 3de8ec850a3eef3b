#!/usr/bin/env bash
# System packages for the PDF edition and the browser tests (Debian or Ubuntu, as root or with sudo).
# The HTML book and the Python tests need only Python 3.11; `make pdf` and the reader-level tests
# need these. Safe to run again: apt skips what is installed.
set -euo pipefail

PACKAGES=(
  # PDF through Sphinx's LaTeX builder with xelatex
  latexmk texlive-xetex texlive-latex-extra texlive-fonts-recommended lmodern
  # Japanese and Korean text: xeCJK (from the CJK and Chinese language collections) and Noto CJK fonts
  texlive-lang-cjk texlive-lang-chinese fonts-noto-cjk fonts-noto-core fonts-dejavu-core
  # Reading the PDF back in tests: pdftotext, pdfimages, pdfinfo
  poppler-utils
  # A real browser for reader-level tests of the HTML site
  chromium
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: done"
