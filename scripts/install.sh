#!/usr/bin/env bash
# Installs what peerhub needs to build and test, and nothing that is already there. Idempotent and
# non-interactive, so `make run`, `make test` and CI all start with it.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev   # Asio, Beast, JSON
  libssl-dev                               # TLS, DTLS, SHA-1/HMAC, certificates
  libsrtp2-dev                             # SRTP/SRTCP keyed from DTLS (src/srtp)
  libusrsctp-dev                           # SCTP for data channels, run without its threads (src/sctp)
  libspdlog-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev googletest
  clang libclang-rt-14-dev clang-format    # libFuzzer and the sanitizer runtime; formatting
  chromium chromium-driver                 # the headless browser of the browser tests (tests/e2e/browser)
  coturn                                   # TURN interop and bench: turnutils_{uclient,peer,stunclient}, and the
                                           # reference turnserver (started by the tests, never as a service)
)
# Node runs the integration tests and the reference server. A machine may have it from elsewhere (with its own
# npm); only then is Debian's left out.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install: apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# Debian's coturn package enables and starts coturn.service where systemd runs: a TURN server on every interface
# with /etc/turnserver.conf, holding port 3478 (which `make run` wants for peerhub). Only the binaries are wanted
# (the tests and bench/turn start turnserver themselves, on loopback), so the unit is switched off, once: an
# operator who enables it later on purpose is not overridden. (Under sysvinit the package starts nothing unless
# TURNSERVER_ENABLED=1 is set in /etc/default/coturn.)
if [[ " ${missing[*]} " == *" coturn "* ]] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  if systemctl is-enabled --quiet coturn 2>/dev/null || systemctl is-active --quiet coturn 2>/dev/null; then
    echo "install: stopping and disabling coturn.service (only its client tools are used)"
    $SUDO systemctl disable --now coturn >/dev/null 2>&1 || true
  fi
fi
# Test tooling for the end-to-end and integration suites (playwright-core, ws): from the lock file.
for dir in tests/e2e bench/reference; do
  if [ -f "$dir/package-lock.json" ]; then
    stamp="$dir/node_modules/.peerhub-lock"
    if [ ! -f "$stamp" ] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
      cp "$dir/package-lock.json" "$stamp"
    fi
  fi
done
