#include "rdpshare.h"

const char *rdpshare_strerror(int result)
{
	switch (result) {
	case RDPSHARE_OK:
		return "success";
	case RDPSHARE_E_INVALIDARG:
		return "invalid argument";
	case RDPSHARE_E_NOMEM:
		return "out of memory";
	case RDPSHARE_E_UNEXPECTED:
		return "not allowed in the session's current state";
	case RDPSHARE_E_ALREADY_OPEN:
		return "the session is already open";
	case RDPSHARE_E_NOT_OPEN:
		return "the session is not open";
	case RDPSHARE_E_CLOSED:
		return "the session was closed; create a new one";
	case RDPSHARE_E_INSTANCE:
		return "another sharing session is already running in this login session";
	case RDPSHARE_E_NOT_FOUND:
		return "not found";
	case RDPSHARE_E_READONLY:
		return "read-only (set it before Open)";
	case RDPSHARE_E_ADDRINUSE:
		return "address already in use";
	case RDPSHARE_E_DISPLAY:
		return "cannot open or use the display";
	case RDPSHARE_E_TLS:
		return "TLS certificate or key unusable";
	case RDPSHARE_E_IO:
		return "input/output error";
	case RDPSHARE_E_WRONG_THREAD:
		return "called from a thread that does not own the session";
	case RDPSHARE_E_UNSUPPORTED:
		return "not supported";
	case RDPSHARE_E_GONE:
		return "the attendee has left";
	case RDPSHARE_E_NOSPACE:
		return "no space left on device";
	case RDPSHARE_E_ACCESS:
		return "permission denied";
	case RDPSHARE_E_DENIED:
		return "not allowed at this control level";
	case RDPSHARE_E_PENDING:
		return "not connected, or the channel is not open yet";
	default:
		return "unknown error";
	}
}

const char *rdpshare_ctrl_level_name(enum rdpshare_ctrl_level level)
{
	switch (level) {
	case RDPSHARE_CTRL_LEVEL_NONE:
		return "none";
	case RDPSHARE_CTRL_LEVEL_VIEW:
		return "view";
	case RDPSHARE_CTRL_LEVEL_INTERACTIVE:
		return "interactive";
	case RDPSHARE_CTRL_LEVEL_REQCTRL_VIEW:
		return "reqctrl-view";
	case RDPSHARE_CTRL_LEVEL_REQCTRL_INTERACTIVE:
		return "reqctrl-interactive";
	default:
		return "invalid";
	}
}

const char *rdpshare_disconnect_reason_name(enum rdpshare_disconnect_reason reason)
{
	switch (reason) {
	case RDPSHARE_DISCONNECT_APP:
		return "sharer";
	case RDPSHARE_DISCONNECT_ERR:
		return "error";
	case RDPSHARE_DISCONNECT_CLI:
		return "client";
	default:
		return "unknown";
	}
}

const char *rdpshare_refusal_name(enum rdpshare_refusal why)
{
	switch (why) {
	case RDPSHARE_REFUSED_BAD_PASSWORD:
		return "bad-password";
	case RDPSHARE_REFUSED_REVOKED:
		return "revoked";
	case RDPSHARE_REFUSED_LIMIT:
		return "limit";
	case RDPSHARE_REFUSED_NOT_OPEN:
		return "not-open";
	case RDPSHARE_REFUSED_PROTOCOL:
		return "protocol";
	case RDPSHARE_REFUSED_THROTTLED:
		return "throttled";
	default:
		return "unknown";
	}
}
