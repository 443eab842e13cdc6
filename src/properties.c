#include "properties.h"

#include <string.h>

#include "rdpshare.h"

struct prop_def {
	const char *name;
	bool is_bool;
	bool before_open;
	long def, min, max;
};

/* Ranges the original leaves open are ours: see the header comment in
 * include/rdpshare.h. EnabledTransports accepts only TCP (1); UDP (3) is
 * refused with UNSUPPORTED rather than silently ignored. */
static const struct prop_def defs[PROP_COUNT] = {
    [PROP_PORT_ID] = {"PortId", false, true, 0, 0, 65535},
    [PROP_PORT_PROTOCOL] = {"PortProtocol", false, true, 0, 0, 23},
    [PROP_FRAME_CAPTURE_INTERVAL] = {"FrameCaptureIntervalInMs", false, false, 33, 1, 10000},
    [PROP_DEFAULT_CONTROL_LEVEL] = {"DefaultAttendeeControlLevel", false, false,
                                    RDPSHARE_CTRL_LEVEL_NONE, RDPSHARE_CTRL_LEVEL_NONE,
                                    RDPSHARE_CTRL_LEVEL_VIEW},
    [PROP_ENABLE_CLIPBOARD] = {"EnableClipboardRedirect", true, false, 0, 0, 1},
    [PROP_ENABLED_TRANSPORTS] = {"EnabledTransports", false, true, 1, 1, 3},
    [PROP_ENFORCE_STRONG_ENCRYPTION] = {"EnforceStrongEncryption", true, true, 0, 0, 1},
    [PROP_DRV_CON_ATTACH] = {"DrvConAttach", true, true, 1, 0, 1},
    [PROP_MAX_FRAMES_IN_FLIGHT] = {"rdpshare.MaxFramesInFlight", false, false, 2, 1, 16},
    [PROP_BACKGROUND_COLOR] = {"rdpshare.BackgroundColor", false, false, 0x303030, 0, 0xFFFFFF},
    [PROP_HANDSHAKE_TIMEOUT] = {"rdpshare.HandshakeTimeoutMs", false, false, 20000, 1000, 300000},
    [PROP_GRAPHICS_PIPELINE] = {"rdpshare.GraphicsPipeline", true, false, 1, 0, 1},
};

void props_init(struct props *p)
{
	for (int i = 0; i < PROP_COUNT; i++) {
		atomic_init(&p->v[i], defs[i].def);
	}
}

int props_find(const char *name)
{
	if (!name) {
		return -1;
	}
	for (int i = 0; i < PROP_COUNT; i++) {
		if (strcmp(defs[i].name, name) == 0) {
			return i;
		}
	}
	return -1;
}

int props_set(struct props *p, int id, long value, bool is_open)
{
	if (id < 0 || id >= PROP_COUNT) {
		return RDPSHARE_E_NOT_FOUND;
	}
	const struct prop_def *d = &defs[id];
	if (d->before_open && is_open) {
		return RDPSHARE_E_READONLY;
	}
	if (value < d->min || value > d->max) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (id == PROP_PORT_PROTOCOL && value != 0 && value != 2 && value != 23) {
		return RDPSHARE_E_INVALIDARG;
	}
	if (id == PROP_ENABLED_TRANSPORTS) {
		if (value == 3) {
			return RDPSHARE_E_UNSUPPORTED;
		}
		if (value != 1) {
			return RDPSHARE_E_INVALIDARG;
		}
	}
	atomic_store(&p->v[id], value);
	return RDPSHARE_OK;
}

long props_get(const struct props *p, int id)
{
	return atomic_load(&((struct props *)p)->v[id]);
}

const char *rdpshare_property_name(int i, bool *is_bool, bool *before_open_only)
{
	if (i < 0 || i >= PROP_COUNT) {
		return NULL;
	}
	if (is_bool) {
		*is_bool = defs[i].is_bool;
	}
	if (before_open_only) {
		*before_open_only = defs[i].before_open;
	}
	return defs[i].name;
}
