#!/bin/bash
# The systemd user unit of this build (systemd/rdpshare.service.in with
# ExecStart in $BIN) under a real `systemd --user`: see unit_check in
# user_unit.sh.
. "$(dirname "$0")/user_unit.sh"
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$XDG_CONFIG_HOME/systemd/user"
sed "s|@BINDIR@|$BIN|" "$top/systemd/rdpshare.service.in" \
	>"$XDG_CONFIG_HOME/systemd/user/rdpshare.service"
unit_check "$BIN/rdpshare"
log "ok"
