#!/bin/sh
# Install the Debian 12 packages rdpshare needs to build, run and test.
# Runs apt-get only when something is missing; needs root for that.
set -eu
BUILD="build-essential pkg-config freerdp2-dev libwinpr2-dev libssl-dev libx11-dev libxext-dev
libxdamage-dev libxfixes-dev libxtst-dev libxi-dev libxres-dev libcmocka-dev
libx264-dev"
RUN="freerdp2-x11"
TEST="xvfb x11-utils x11-apps x11-xserver-utils xdotool imagemagick clang libclang-rt-14-dev
procps iproute2 python3 xclip xserver-xephyr"
want="$BUILD $RUN"
[ "${1:-}" = "--test" ] && want="$want $TEST"
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
