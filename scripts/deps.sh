#!/bin/sh
# Install the Debian packages rdpshare needs to build, run and test.
# FreeRDP 3 (>= 3.10) is in Debian 13's main archive; on Debian 12 it comes
# from Debian's own bookworm-backports suite, which this script adds (for the
# same mirror the machine already uses) when it is not configured yet.
# Runs apt-get only when something is missing; needs root for that.
set -eu
BUILD="build-essential pkg-config freerdp3-dev libwinpr3-dev libssl-dev libx11-dev libxext-dev
libxdamage-dev libxfixes-dev libxtst-dev libxi-dev libxres-dev libcmocka-dev
libx264-dev libpng-dev libwayland-dev libwayland-bin libxkbcommon-dev libjson-c-dev
libsystemd-dev libpipewire-0.3-dev libspa-0.2-dev"
RUN="freerdp3-x11"
TEST="xvfb x11-utils x11-apps x11-xserver-utils xdotool imagemagick clang libclang-rt-14-dev
procps iproute2 python3 xclip xserver-xephyr freerdp3-shadow-x11 sway foot grim wev
wayland-utils wl-clipboard util-linux wayland-protocols mutter gnome-shell gsettings-desktop-schemas
adwaita-icon-theme pipewire pipewire-bin wireplumber dbus-daemon dbus-bin tmux systemd
debhelper dpkg-dev lintian"
# packages that must come from backports on Debian 12
BPO="freerdp3-dev libwinpr3-dev freerdp3-x11 freerdp3-shadow-x11"
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
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
bpo=""
if [ "$codename" = bookworm ]; then
	bpo=bookworm-backports
	if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
		# the mirror this machine already uses for bookworm (one-line or deb822)
		mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }')
		[ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
			/^$/ { if (s ~ / bookworm( |$)/ && u != "") { print u; exit } u = ""; s = "" }
			/^URIs:/ { u = $2 }
			/^Suites:/ { s = $0 " " }
			END { if (s ~ / bookworm( |$)/ && u != "") print u }' | head -n 1)
		[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
		echo "deps: adding bookworm-backports from $mirror" >&2
		cat >/etc/apt/sources.list.d/rdpshare-bookworm-backports.sources <<EOF
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	fi
fi
apt-get update -qq
main_pkgs=""
bpo_pkgs=""
for p in $missing; do
	case " $BPO " in
	*" $p "*) bpo_pkgs="$bpo_pkgs $p" ;;
	*) main_pkgs="$main_pkgs $p" ;;
	esac
done
# shellcheck disable=SC2086
[ -z "$main_pkgs" ] || apt-get install -y -qq --no-install-recommends $main_pkgs >/dev/null
if [ -n "$bpo_pkgs" ]; then
	# shellcheck disable=SC2086
	if [ -n "$bpo" ]; then
		apt-get install -y -qq --no-install-recommends -t "$bpo" $bpo_pkgs >/dev/null
	else
		apt-get install -y -qq --no-install-recommends $bpo_pkgs >/dev/null
	fi
fi
