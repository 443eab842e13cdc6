#include "mp_filter.h"

#include <stdlib.h>
#include <string.h>

void mp_filter_free(struct mp_filter *f)
{
	free(f->apps);
	free(f->wins);
	memset(f, 0, sizeof(*f));
}
