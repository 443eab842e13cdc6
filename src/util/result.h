/* A negative errno value from a file or socket call as the library's
 * result code (include/rdpshare.h), one mapping for every layer. */
#ifndef RDPSHARE_UTIL_RESULT_H
#define RDPSHARE_UTIL_RESULT_H

/* 0 for 0; RDPSHARE_E_NOSPACE (ENOSPC, EDQUOT), RDPSHARE_E_ACCESS (EACCES,
 * EPERM, EROFS), RDPSHARE_E_NOMEM, else RDPSHARE_E_IO. */
int util_result_of_errno(int neg_errno);

#endif
