/* libFuzzer target for sway's get_tree reply as a window list
 * (src/capture/swaytree.c): any bytes give an error or a list within the
 * caps, whose texts are valid UTF-8 with no control character and fit their
 * fields, whose sizes are sane and whose focus is one of its windows; the
 * command-reply reader and the text copier hold the same promises. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/peer_json.h"
#include "capture/swaytree.h"
#include "fuzz_checks.h"

static void check_tree(const uint8_t *data, size_t size, const char *output)
{
	struct swaytree t;
	int r = swaytree_parse(&t, (const char *)data, size, output);
	check(r == 0 || r == -EINVAL || r == -ENODEV || r == -ENOMEM);
	check(t.n >= 0 && t.n <= SWAYTREE_MAX_WINDOWS);
	check((t.n == 0) == (t.v == NULL));
	check(r == 0 || (t.n == 0 && t.focus == 0));
	check(t.width >= 0 && t.width <= 1 << 24 && t.height >= 0 && t.height <= 1 << 24);
	check_text(t.output, sizeof(t.output));
	int focus_found = t.focus == 0;
	for (int i = 0; i < t.n; i++) {
		const struct cap_window *w = &t.v[i];
		check_window(w);
		check(w->owner == 0 && w->listed);
		focus_found = focus_found || w->id == t.focus;
	}
	check(focus_found);
	swaytree_finish(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_tree(data, size, NULL);
	check_tree(data, size, "HEADLESS-1");
	int r = swaytree_success((const char *)data, size);
	check(r == 0 || r == -ENOENT || r == -EINVAL);
	char small[7];
	memset(small, 'X', sizeof(small));
	size_t room = size ? 1 + data[0] % 6 : 1;
	peer_json_copy_text(small, room, (const char *)data, size);
	check_text(small, room);
	check(room == sizeof(small) || small[room] == 'X');
	return 0;
}
