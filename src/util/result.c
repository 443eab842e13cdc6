#include "util/result.h"

#include <errno.h>

#include "rdpshare.h"

int util_result_of_errno(int neg_errno)
{
	switch (neg_errno) {
	case 0:
		return RDPSHARE_OK;
	case -ENOSPC:
	case -EDQUOT:
		return RDPSHARE_E_NOSPACE;
	case -EACCES:
	case -EPERM:
	case -EROFS:
		return RDPSHARE_E_ACCESS;
	case -ENOMEM:
		return RDPSHARE_E_NOMEM;
	default:
		return RDPSHARE_E_IO;
	}
}
