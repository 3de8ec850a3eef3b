#!/usr/bin/env bash
# What `make test` needs beyond Python 3.11: TeX with xeCJK and the Noto fonts for the PDF,
# poppler to read the PDF back, and a Chromium for the reader-level tests. `make test` runs this
# first. On Debian or Ubuntu, as root or with sudo, it installs what is missing with apt; anywhere
# else it stops at once with the list of what is missing and how to get it. Safe to run again:
# it installs nothing that is already there.
#
# The browser: Debian's `chromium` package where apt has a real one (Debian); on Ubuntu, whose
# apt offers Chromium only as a snap, Playwright's own Chromium build (`python -m playwright
# install --with-deps chromium`), which the tests find when /usr/bin/chromium is absent.
set -euo pipefail
PYTHON="${1:-.venv/bin/python}"

PACKAGES=(
  # PDF through Sphinx's LaTeX builder with xelatex
  latexmk texlive-xetex texlive-latex-extra texlive-fonts-recommended lmodern
  # Japanese and Korean text: xeCJK (from the CJK and Chinese language collections) and Noto fonts
  texlive-lang-cjk texlive-lang-chinese fonts-noto-cjk fonts-noto-core fonts-dejavu-core
  # Reading the PDF back in tests: pdftotext, pdfimages, pdfinfo
  poppler-utils
)
distro=""
[ -r /etc/os-release ] && distro="$(. /etc/os-release && echo "${ID:-}")"
debian_chromium=false
if [ "$distro" = "debian" ]; then PACKAGES+=(chromium); debian_chromium=true; fi

if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
  echo "system packages: this is not a Debian or Ubuntu machine; make test needs:" >&2
  echo "  xelatex and latexmk (TeX Live with xeCJK), the Noto Serif, Noto Sans and Noto CJK fonts," >&2
  echo "  DejaVu Sans Mono, poppler's pdftotext/pdfimages/pdfinfo, and Chromium" >&2
  echo "  (or: $PYTHON -m playwright install chromium)." >&2
  echo "Install them with your system's package manager, then run make test again." >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$SUDO" = "none" ]; then
    echo "system packages missing: ${missing[*]}" >&2
    echo "install them as root: apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "system packages: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "system packages: done"
else
  echo "system packages: all present"
fi

# Elsewhere than Debian, the browser comes from Playwright (it downloads a Chromium build once).
if ! $debian_chromium && [ ! -x /usr/bin/chromium ]; then
  if [ "$SUDO" = "none" ]; then
    "$PYTHON" -m playwright install chromium
  else
    # --with-deps installs the libraries Chromium needs through apt.
    ${SUDO:+$SUDO env PATH="$PATH"} "$PYTHON" -m playwright install --with-deps chromium
  fi
fi
