/* The public face of FreeRDP's log routing (src/rdp/log.c). */
#include "rdp/log.h"
#include "rdpshare.h"

int rdpshare_set_log_level(enum rdpshare_log_level level)
{
	if ((int)level < RDPSHARE_LOG_QUIET || level > RDPSHARE_LOG_TRACE) {
		return RDPSHARE_E_INVALIDARG;
	}
	rdp_log_apply((int)level);
	return RDPSHARE_OK;
}

enum rdpshare_log_level rdpshare_get_log_level(void)
{
	return (enum rdpshare_log_level)rdp_log_level();
}
